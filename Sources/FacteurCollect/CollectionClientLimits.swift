import Foundation

/// Bounds for the collection clients (POP3 and IMAP) that fetch from a provider.
public struct CollectionClientLimits: Sendable, Equatable {
    /// Largest message accepted from the provider (octets after dot-unstuffing / literal size).
    /// Larger ones are skipped with an error result, never truncated.
    public var messageSize: Int
    /// Longest status / response line outside message data (RFC 2449 §4: 512 octets for responses;
    /// IMAP has no limit, so we allow more).
    public var responseLineLength: Int
    /// Longest multi-line listing (UIDL, LIST, CAPA) or IMAP SEARCH result, in entries.
    public var listingEntries: Int
    /// Longest unique-id accepted (RFC 1939 §7 says 70; we are lenient).
    public var uidLength: Int

    public init(messageSize: Int = 64 << 20, responseLineLength: Int = 8192, listingEntries: Int = 1_000_000,
                uidLength: Int = 255) {
        self.messageSize = messageSize; self.responseLineLength = responseLineLength
        self.listingEntries = listingEntries; self.uidLength = uidLength
    }

    public static let standard = CollectionClientLimits()
}
