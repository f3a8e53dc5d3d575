import Foundation
import FacteurCore
@testable import FacteurConsole

/// Shared test data: a fixed clock and a model with a bit of everything.
enum Fixtures {
    /// 2026-11-29 10:00:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_795_946_400)

    static func info(_ id: UInt64, _ service: ServiceKind = .smtp, _ address: String = "192.0.2.7",
                     openedAgo: TimeInterval = 65) -> ConnectionInfo {
        ConnectionInfo(id: ConnectionID(id), service: service, remoteAddress: address, remotePort: 40000,
                       localAddress: "0.0.0.0:25", tls: false, opened: now.addingTimeInterval(-openedAgo))
    }

    static func event(_ kind: ServerEvent.Kind, ago: TimeInterval = 0) -> ServerEvent {
        ServerEvent(time: now.addingTimeInterval(-ago), kind: kind)
    }

    static func ban(_ network: String, expiresIn: TimeInterval?, hits: Int = 3, source: BanInfo.Source = .automatic,
                    reason: String = "10 failed logins") -> BanInfo {
        BanInfo(network: network, rule: "auth", reason: reason, evidence: [], source: source,
                created: now.addingTimeInterval(-600), expires: expiresIn.map { now.addingTimeInterval($0) }, hits: hits)
    }

    static func rejection(_ address: String, rule: String = "relay", reason: String = "relay access denied") -> Rejection {
        Rejection(connection: nil, service: .smtp, remoteAddress: address, rule: rule, reason: reason,
                  sender: "spam@bad.example", recipient: "victim@elsewhere.example")
    }

    static var model: ConsoleModel {
        var m = ConsoleModel(startTime: now.addingTimeInterval(-3 * 3600 - 125))
        m.apply(event(.listenerStarted(service: .smtp, address: "0.0.0.0:25", tls: false)))
        m.apply(event(.listenerStarted(service: .imap, address: "0.0.0.0:993", tls: true)))
        m.apply(event(.listenerFailed(service: .pop3, address: "0.0.0.0:995", error: "address already in use")))
        m.apply(event(.connectionOpened(info(1, .smtp, "192.0.2.7", openedAgo: 65)), ago: 65))
        m.apply(event(.connectionUpdated(id: ConnectionID(1), user: "bénédicte@exemple.fr", state: "DATA", bytesIn: 2048, bytesOut: 300)))
        m.apply(event(.connectionOpened(info(2, .imap, "2001:db8::beef", openedAgo: 5)), ago: 5))
        m.apply(event(.rejected(rejection("198.51.100.23")), ago: 30))
        m.apply(event(.rejected(rejection("198.51.100.23")), ago: 20))
        m.apply(event(.rejected(rejection("203.0.113.5", rule: "auth", reason: "bad password")), ago: 10))
        m.apply(event(.log(level: .info, message: "Facteur démarré"), ago: 100))
        m.apply(event(.log(level: .warning, message: "TLS handshake failed from 192.0.2.99"), ago: 50))
        m.noteCountry("FR", for: "192.0.2.7")
        m.replaceBans([ban("192.0.2.66/32", expiresIn: 3725, hits: 14),
                       ban("198.51.100.0/24", expiresIn: nil, hits: 230, source: .manual, reason: "spam wave")])
        return m
    }

    static func screen(_ model: ConsoleModel, _ state: ConsoleState, rows: Int = 24, columns: Int = 80,
                       at time: Date = now) -> [String] {
        ConsoleScreen.render(model: model, state: state, now: time, rows: rows, columns: columns).map(\.text)
    }
}
