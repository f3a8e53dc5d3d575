import FacteurNet

/// Who may connect to one service (or to all, in `GuardPolicy.access`).
public struct AccessRules: Sendable, Codable, Equatable, Hashable {
    /// Always admitted: bans, deny lists, countries, the rate trigger and the per-address limit
    /// do not apply (the total limit does, with a reserve for them: `Guard.trustedReserve`), and no automatic ban is made.
    public var allowNetworks: [IPNetwork]
    /// Always refused (after the allow lists).
    public var denyNetworks: [IPNetwork]
    /// When not empty, only addresses from these countries (ISO 3166 alpha-2) are admitted.
    public var allowedCountries: Set<String>
    /// Addresses from these countries are refused.
    public var deniedCountries: Set<String>
    /// With `allowedCountries` set, whether an address with no known country is refused
    /// (private ranges and addresses missing from the GeoIP file have none).
    public var refuseUnknownCountry: Bool

    public init(allowNetworks: [IPNetwork] = [], denyNetworks: [IPNetwork] = [],
                allowedCountries: Set<String> = [], deniedCountries: Set<String> = [],
                refuseUnknownCountry: Bool = false) {
        self.allowNetworks = allowNetworks
        self.denyNetworks = denyNetworks
        self.allowedCountries = allowedCountries
        self.deniedCountries = deniedCountries
        self.refuseUnknownCountry = refuseUnknownCountry
    }
}

/// Concurrent connection limits of one service; nil means unlimited.
public struct ConnectionLimits: Sendable, Codable, Equatable, Hashable {
    public var perAddress: Int?
    public var total: Int?

    public init(perAddress: Int? = nil, total: Int? = nil) {
        self.perAddress = perAddress
        self.total = total
    }
}
