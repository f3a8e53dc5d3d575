import Foundation
import FacteurNet

extension Guard {
    /// Decides whether a new connection from `address` to `service` may proceed.
    ///
    /// Checks, in order:
    /// 1. never-ban and allow networks: admitted while the total limit plus its reserve for
    ///    them (`trustedReserve`) is not reached, so a full server still lets them in;
    /// 2. bans in force: refused, the ban's `hits` counted;
    /// 3. deny networks; 4. countries (`country` is the caller's GeoIP answer, ISO alpha-2);
    /// 5. connection rate: the connection that goes over it creates a ban (`isNewBan`);
    /// 6. concurrent connections per address, then in total.
    ///
    /// An `.allow` counts the connection as open: call `disconnect` when it closes.
    public mutating func admit(address: IPAddress, service: GuardService, now: Date, country: String? = nil) -> Admission {
        let rules = access[service]
        let limits = limits[service]
        // A plain number, not a copy of `open[service]`: a live copy would make `markOpen`
        // copy the whole per-address table.
        let openTotal = open[service].total

        if neverBan.contains(address) || rules.allow.contains(address) {
            if let total = limits.total, openTotal >= total + Self.trustedReserve(total) {
                return .refuse(Refusal(rule: .totalConnections, reason: "\(total) \(service.rawValue) connections already open"))
            }
            markOpen(address, service)
            return .allow
        }

        if let ban = countHit(address, now: now) {
            return .refuse(Refusal(rule: ban.rule, reason: ban.reason, until: ban.expires, ban: ban))
        }

        if let (network, _) = rules.deny.longestMatch(for: address) {
            return .refuse(Refusal(rule: .denyList, reason: "\(network) is in the \(service.rawValue) deny list"))
        }

        if let refusal = countryRefusal(country, rules) {
            return .refuse(refusal)
        }

        if let ban = countConnection(address, now: now) {
            return .refuse(Refusal(rule: ban.rule, reason: ban.reason, until: ban.expires, ban: ban, isNewBan: true))
        }

        if let perAddress = limits.perAddress, open[service].perAddress[address] ?? 0 >= perAddress {
            return .refuse(Refusal(rule: .perAddressConnections,
                                   reason: "\(perAddress) \(service.rawValue) connections already open from \(address)"))
        }
        if let total = limits.total, openTotal >= total {
            return .refuse(Refusal(rule: .totalConnections, reason: "\(total) \(service.rawValue) connections already open"))
        }
        markOpen(address, service)
        return .allow
    }

    /// Connections over the total limit that never-ban and allow networks may still open:
    /// a tenth of the limit, at least 10.
    public static func trustedReserve(_ total: Int) -> Int { max(total / 10, 10) }

    /// True when bans do not apply to `address` on `service` (never-ban and allow networks).
    public func bypassesBans(_ address: IPAddress, service: GuardService) -> Bool {
        neverBan.contains(address) || access[service].allow.contains(address)
    }

    /// Counts a connection refused for the total limit as open after all, because the caller
    /// has made room for it (closed an idle connection whose slot is freed when it is gone).
    public mutating func admitInPlaceOfEvicted(address: IPAddress, service: GuardService) {
        markOpen(address, service)
    }

    /// A connection admitted by `admit` has closed: frees its concurrency slot and forgets the
    /// session's counters.
    public mutating func disconnect(address: IPAddress, service: GuardService, sessionID: UInt64?) {
        if let sessionID { sessions[sessionID] = nil }
        open[service].total = max(open[service].total - 1, 0)
        if let current = open[service].perAddress[address] {
            open[service].perAddress[address] = current > 1 ? current - 1 : nil
        }
    }

    /// The ban in force covering `address`, its `hits` counted.
    private mutating func countHit(_ address: IPAddress, now: Date) -> Ban? {
        // Usual case: the most specific ban is in force; found and counted in one walk.
        if let ban = banTable.modifyLongestMatch(for: address, where: { $0.isActive(at: now) }, { $0.hits += 1 }) {
            return ban
        }
        guard let network = activeBan(covering: address, now: now)?.network else { return nil }
        return banTable.modifyValue(for: network) { $0.hits += 1 }
    }

    private mutating func markOpen(_ address: IPAddress, _ service: GuardService) {
        open[service].total += 1
        open[service].perAddress[address, default: 0] += 1
    }

    private func countryRefusal(_ country: String?, _ rules: CompiledAccess) -> Refusal? {
        guard let code = country?.uppercased() else {
            if !rules.allowedCountries.isEmpty, rules.refuseUnknownCountry {
                return Refusal(rule: .country, reason: "country unknown and only \(rules.allowedCountries.sorted().joined(separator: ", ")) allowed")
            }
            return nil
        }
        if rules.deniedCountries.contains(code) {
            return Refusal(rule: .country, reason: "country \(code) is denied")
        }
        if !rules.allowedCountries.isEmpty, !rules.allowedCountries.contains(code) {
            return Refusal(rule: .country, reason: "country \(code) is not in the allowed list")
        }
        return nil
    }

    /// Counts a connection for the flood trigger; returns the ban when it goes over the rate.
    private mutating func countConnection(_ address: IPAddress, now: Date) -> Ban? {
        let rate = policy.triggers.connectionRate
        guard rate.enabled else { return nil }
        let key = offenderNetwork(address)
        let limit = max(rate.maxConnections, 0)
        let (count, first) = updateOffender(key, now: now) { counters in
            counters.connections.removeAll { now.timeIntervalSince($0) >= rate.window }
            counters.connections.append(now)
            // Only the latest maxConnections + 1 times can matter.
            if counters.connections.count > limit + 1 {
                counters.connections.removeFirst(counters.connections.count - limit - 1)
            }
            return (counters.connections.count, counters.connections.first ?? now)
        }
        guard count > limit else { return nil }
        let reason = "\(count) connections within \(DurationText.describe(rate.window)) (limit \(limit))"
        let evidence = ["\(Self.timestamp(first)) first of \(count) connections from \(address)",
                        "\(Self.timestamp(now)) connection \(count) from \(address)"]
        return makeAutomaticBan(key, rule: .connectionRate, reason: reason, evidence: evidence, now: now)
    }
}
