import FacteurPOP3Core

/// Drives the pure `IMAPCollectionClient` over a `CollectConnection` (RFC 3501): LOGIN, SELECT
/// INBOX, UID SEARCH ALL, UID FETCH BODY.PEEK[], UID STORE \Deleted + EXPUNGE, LOGOUT.
struct IMAPRemoteMailbox: RemoteMailbox {
    private var client: IMAPCollectionClient
    private let connection: CollectConnection
    private var uidValidity: UInt32?
    /// Ledger key → UID, from the listing of this session.
    private var uids: [String: UInt32] = [:]
    private var pending: [IMAPClientEvent] = []
    /// The client's last unrecoverable error; the connection is closed once it is set.
    private var failure: IMAPClientError?

    private init(client: IMAPCollectionClient, connection: CollectConnection) {
        self.client = client; self.connection = connection
    }

    static func open(connection: CollectConnection, configuration: IMAPClientConfiguration) async throws(CollectError) -> IMAPRemoteMailbox {
        var mailbox = IMAPRemoteMailbox(client: IMAPCollectionClient(configuration: configuration), connection: connection)
        let ready = try await mailbox.pump { if case .ready = $0 { true } else { false } }
        if case .ready(let validity, _) = ready { mailbox.uidValidity = validity }
        return mailbox
    }

    mutating func listing() async throws(CollectError) -> [String] {
        let event = try await run(.search)
        guard case .searchResult(let found) = event else { throw .provider("UID SEARCH refused (\(Self.reason(event)))") }
        uids = [:]
        var keys: [String] = []
        // UIDs name messages only together with UIDVALIDITY (RFC 3501 §2.3.1.1).
        for uid in found {
            let key = CollectionLedger.imapUID(uidValidity: uidValidity, uid: uid)
            if uids[key] == nil { uids[key] = uid; keys.append(key) }
        }
        return keys
    }

    mutating func fetch(_ key: String) async throws(CollectError) -> FetchOutcome {
        guard let uid = uids[key] else { return .transientFailure("not in this session's listing") }
        let event: IMAPClientEvent
        do { event = try await run(.fetch(uid: uid)) }
        catch {
            // The literal was over the size limit: that message can never be taken. The client
            // closed the connection; the next run goes on with the other messages.
            if case .literalTooLarge(let size)? = failure { return .rejected("\(size) bytes, larger than the size limit") }
            throw error
        }
        switch event {
        case .message(_, _, let content): return .message(content)
        default: return .transientFailure(Self.reason(event))
        }
    }

    mutating func deleteAndFinish(_ keys: [String]) async throws(CollectError) -> [String] {
        let set = keys.compactMap { uids[$0] }
        var confirmed: [String] = []
        if !set.isEmpty {
            // STORE +FLAGS.SILENT (\Deleted), then EXPUNGE; `.deleted` only after EXPUNGE OK.
            let event = try await run(.delete(uids: set))
            guard case .deleted(let gone) = event else {
                _ = try? await run(.logout)
                await connection.close()
                throw .provider("deletion refused (\(Self.reason(event)))")
            }
            let goneSet = Set(gone)
            confirmed = keys.filter { uids[$0].map(goneSet.contains) ?? false }
        }
        _ = try? await run(.logout)
        await connection.close()
        return confirmed
    }

    mutating func abandon() async {
        await connection.close()
    }

    // MARK: - Event pump

    private mutating func run(_ command: IMAPClientCommand) async throws(CollectError) -> IMAPClientEvent {
        if let failure { throw .provider("connection closed after: \(Self.describe(failure))") }
        let bytes: [UInt8]
        do { bytes = try client.request(command) }
        catch { throw .provider("IMAP client not ready for \(command)") }
        try await connection.send(bytes)
        return try await pump { event in
            switch event {
            case .searchResult, .message, .deleted, .commandFailed, .finished: true
            default: false
            }
        }
    }

    private mutating func pump(until isAnswer: (IMAPClientEvent) -> Bool) async throws(CollectError) -> IMAPClientEvent {
        while true {
            if pending.isEmpty { pending = client.receive(try await connection.receive()) }
            while !pending.isEmpty {
                let event = pending.removeFirst()
                switch event {
                case .send(let bytes):
                    try await connection.send(bytes)
                case .startTLS:
                    try await connection.startTLS()
                    pending = client.tlsEstablished() + pending
                case .failed(let error):
                    failure = error
                    pending = []
                    await connection.close()
                    throw .provider(Self.describe(error))
                case .close:
                    await connection.close()
                default:
                    if isAnswer(event) { return event }
                }
            }
        }
    }

    private static func reason(_ event: IMAPClientEvent) -> String {
        if case .commandFailed(_, let reason) = event { return reason }
        return "\(event)"
    }

    static func describe(_ error: IMAPClientError) -> String {
        switch error {
        case .greetingRejected(let text): return "greeting refused: \(text)"
        case .tlsUnavailable(let text): return "STARTTLS refused (\(text)); set tls = \"implicit\" or \"none\" if the provider has no STARTTLS"
        case .authenticationFailed(let text): return "login refused: \(text)"
        case .selectFailed(let text): return "SELECT INBOX refused: \(text)"
        case .protocolViolation(let text): return "protocol error: \(text)"
        case .lineTooLong: return "protocol error: response line too long"
        case .literalTooLarge(let size): return "a message of \(size) bytes is larger than the size limit"
        case .closedByServer(let text): return "closed by the provider: \(text)"
        }
    }
}
