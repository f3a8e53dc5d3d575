/// A provider's mailbox as mail collection sees it, whatever the protocol: a listing of ledger
/// keys, fetch by key, and a deletion that reports only what the provider confirmed.
protocol RemoteMailbox {
    /// Ledger keys of every message, in the provider's order (POP3 UIDL; IMAP UIDVALIDITY.UID).
    mutating func listing() async throws(CollectError) -> [String]
    /// The message bytes, or why this one message could not be taken.
    mutating func fetch(_ key: String) async throws(CollectError) -> FetchOutcome
    /// Deletes `keys` and ends the session. Returns the keys whose deletion the provider
    /// confirmed: POP3 after QUIT +OK (RFC 1939 §6), IMAP after EXPUNGE OK (RFC 3501 §6.4.3).
    mutating func deleteAndFinish(_ keys: [String]) async throws(CollectError) -> [String]
    /// Closes the connection without deleting anything (after an error).
    mutating func abandon() async
}

enum FetchOutcome: Sendable, Equatable {
    case message([UInt8])
    /// Gone or refused this time: try again at the next run.
    case transientFailure(String)
    /// Can never be collected (too large): left on the provider, never retried.
    case rejected(String)
}
