import Foundation
import FacteurNet

// Internal bookkeeping of `Guard`: counters per session and per offender, open connections,
// and the policy compiled into lookup tables.

/// Offences counted in one session.
struct SessionCounters: Sendable {
    var offender: IPNetwork
    var counts: [GuardRule: EvidenceLog] = [:]
}

/// A count and the evidence lines behind it (the latest `maxEvidenceLines` kept).
struct EvidenceLog: Sendable {
    var count = 0
    var lines: [String] = []

    mutating func add(_ newLines: [String]) {
        count += 1
        lines.append(contentsOf: newLines)
        if lines.count > GuardLimits.maxEvidenceLines {
            lines.removeFirst(lines.count - GuardLimits.maxEvidenceLines)
        }
    }
}

/// One offence from an address, with its evidence.
struct TimedEvent: Sendable {
    var time: Date
    var lines: [String]
}

/// What is counted for one offender network (an address, or an IPv6 prefix) across sessions.
struct OffenderCounters: Sendable {
    /// Recent offences per rule, oldest first.
    var events: [GuardRule: [TimedEvent]] = [:]
    /// Wrong passwords by digest: the latest failure with each.
    var passwords: [String: TimedEvent] = [:]
    /// Times of recent connections, oldest first.
    var connections: [Date] = []
    var lastActivity: Date

    init(now: Date) { lastActivity = now }

    var isEmpty: Bool { events.isEmpty && passwords.isEmpty && connections.isEmpty }
}

/// Open connections of one service.
struct OpenConnections: Sendable {
    var total = 0
    var perAddress: [IPAddress: Int] = [:]
}

/// `AccessRules` of one service merged with the global ones, as lookup tables.
struct CompiledAccess: Sendable {
    var allow = NetworkSet<Bool>()
    var deny = NetworkSet<Bool>()
    var allowedCountries: Set<String> = []
    var deniedCountries: Set<String> = []
    var refuseUnknownCountry = false

    init(_ rules: [AccessRules]) {
        for rule in rules {
            for network in rule.allowNetworks { allow[network] = true }
            for network in rule.denyNetworks { deny[network] = true }
            allowedCountries.formUnion(rule.allowedCountries.map { $0.uppercased() })
            deniedCountries.formUnion(rule.deniedCountries.map { $0.uppercased() })
            refuseUnknownCountry = refuseUnknownCountry || rule.refuseUnknownCountry
        }
    }
}

/// Readable spans for reasons: "15 minutes", "1 hour", "7 days".
enum DurationText {
    static func describe(_ interval: TimeInterval) -> String {
        let seconds = Int(interval.rounded())
        let units: [(Int, String)] = [(86_400, "day"), (3600, "hour"), (60, "minute")]
        for (size, name) in units where seconds >= size && seconds % size == 0 {
            let count = seconds / size
            return "\(count) \(name)\(count == 1 ? "" : "s")"
        }
        return "\(seconds) second\(seconds == 1 ? "" : "s")"
    }
}

/// One value per service, reached without hashing (admission runs for every connection).
struct PerService<Element: Sendable>: Sendable {
    var smtp: Element
    var imap: Element
    var pop3: Element

    init(_ make: (GuardService) -> Element) {
        smtp = make(.smtp)
        imap = make(.imap)
        pop3 = make(.pop3)
    }

    subscript(service: GuardService) -> Element {
        get {
            switch service {
            case .smtp: smtp
            case .imap: imap
            case .pop3: pop3
            }
        }
        _modify {
            switch service {
            case .smtp: yield &smtp
            case .imap: yield &imap
            case .pop3: yield &pop3
            }
        }
    }
}
