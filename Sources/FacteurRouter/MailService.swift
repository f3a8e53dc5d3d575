/// The services a Facteur listener can offer, with the facts the checklist needs about each.
public enum MailService: String, Sendable, Hashable, Codable, CaseIterable {
    case smtp, submission, imap, imaps, pop3, pop3s

    /// The port clients and other servers use by default (RFC 5321 §4.5.4.2 for SMTP relay
    /// on 25, RFC 6409 §3.1 for 587, RFC 9051 / RFC 8314 §7.3 for 143/993, RFC 1939 / RFC 8314 for 110/995).
    public var standardPort: UInt16 {
        switch self {
        case .smtp: 25
        case .submission: 587
        case .imap: 143
        case .imaps: 993
        case .pop3: 110
        case .pop3s: 995
        }
    }

    /// What the server sends first in clear text: `220` (RFC 5321 §4.2), `* OK` (RFC 9051 §7.1.1),
    /// `+OK` (RFC 1939 §4). Nil for implicit-TLS ports, where nothing is readable before the handshake.
    public var greetingPrefix: String? {
        switch self {
        case .smtp, .submission: "220"
        case .imap: "* OK"
        case .pop3: "+OK"
        case .imaps, .pop3s: nil
        }
    }

    public var displayName: String {
        switch self {
        case .smtp: "SMTP"
        case .submission: "Submission"
        case .imap: "IMAP"
        case .imaps: "IMAPS"
        case .pop3: "POP3"
        case .pop3s: "POP3S"
        }
    }
}
