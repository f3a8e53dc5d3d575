import Foundation

/// Why one collect run stopped. Worded for the administrator reading the log or the console.
public enum CollectError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A problem with the entry's configuration (password file, recipient, duplicate name).
    case configuration(String)
    /// The connection could not be made, broke, or timed out.
    case connection(String)
    /// TLS could not be established (certificate not trusted, handshake failed).
    case tls(String)
    /// The provider refused or broke the protocol (login refused, no UIDL, …).
    case provider(String)
    /// The ledger could not be read or written.
    case ledger(String)
    /// Local delivery failed (disk full, permissions).
    case delivery(String)

    public var description: String {
        switch self {
        case .configuration(let s): return "configuration: \(s)"
        case .connection(let s): return "connection: \(s)"
        case .tls(let s): return "TLS: \(s)"
        case .provider(let s): return "provider: \(s)"
        case .ledger(let s): return "ledger: \(s)"
        case .delivery(let s): return "delivery: \(s)"
        }
    }
}
