/// What the lead's configuration passes to the checklist.
public struct RouterCheckConfig: Sendable, Hashable {
    /// The name the MX records must point to, e.g. `mail.example.com`.
    public var hostname: String
    /// Mail domains served, e.g. `["example.com"]`.
    public var domains: [String]
    public var listeners: [RouterListener]
    /// The router's public IPv4 or IPv6 address, when the administrator knows it.
    public var publicAddress: String?
    /// Public port per service when it differs from the standard port (e.g. imap: 20143).
    public var publicPorts: [MailService: UInt16]
    /// Ask the environment to discover the public address (NAT-PMP/UPnP). Off by default.
    public var discoverPublicAddress: Bool
    /// Time allowed for each TCP probe.
    public var probeTimeout: Duration

    public init(hostname: String, domains: [String], listeners: [RouterListener], publicAddress: String? = nil,
                publicPorts: [MailService: UInt16] = [:], discoverPublicAddress: Bool = false,
                probeTimeout: Duration = .seconds(3)) {
        self.hostname = hostname
        self.domains = domains
        self.listeners = listeners
        self.publicAddress = publicAddress
        self.publicPorts = publicPorts
        self.discoverPublicAddress = discoverPublicAddress
        self.probeTimeout = probeTimeout
    }

    /// The public port for `service`: configured, else the standard one.
    public func publicPort(for service: MailService) -> UInt16 { publicPorts[service] ?? service.standardPort }
}
