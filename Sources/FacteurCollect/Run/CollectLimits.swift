import Foundation

/// Every bound of mail collection's edge, in one place (house style: named limits per protocol).
/// The protocol limits (message size, line length, listing size) are `CollectionClientLimits`
/// in FacteurPOP3Core.
public struct CollectLimits: Sendable, Equatable {
    /// TCP connect to the provider.
    public var connectTimeout: TimeInterval
    /// No byte from the provider for this long while we wait for a response: the run fails
    /// (RFC 1939 §3 servers wait ≥ 10 minutes for us; we wait far less for them).
    public var readTimeout: TimeInterval
    /// The periodic collector never polls one entry more often than this, whatever `interval` says.
    public var minimumInterval: TimeInterval
    /// Longest password_file accepted (only its first line is used).
    public var passwordFileSize: Int
    /// Largest ledger file read back (a record is ~200 bytes; this is ~100 000 messages).
    public var ledgerFileSize: Int
    /// How long `stop()` waits for running collections to end before the server shuts down.
    public var shutdownGrace: TimeInterval

    public init(connectTimeout: TimeInterval = 30, readTimeout: TimeInterval = 120, minimumInterval: TimeInterval = 1,
                passwordFileSize: Int = 4096, ledgerFileSize: Int = 32 << 20, shutdownGrace: TimeInterval = 10) {
        self.connectTimeout = connectTimeout; self.readTimeout = readTimeout
        self.minimumInterval = minimumInterval; self.passwordFileSize = passwordFileSize
        self.ledgerFileSize = ledgerFileSize; self.shutdownGrace = shutdownGrace
    }

    public static let standard = CollectLimits()
}
