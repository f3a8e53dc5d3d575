/// Drives the pure `IMAPCollectionClient` over a `CollectConnection` (RFC 3501): LOGIN, SELECT
/// INBOX, UID SEARCH ALL, UID FETCH BODY.PEEK[], UID STORE \Deleted + EXPUNGE, LOGOUT.
struct IMAPRemoteMailbox: RemoteMailbox {
    private var driver: ClientDriver<IMAPCollectionClient>
    private var uidValidity: UInt32?
    /// Ledger key → UID, from the listing of this session.
    private var uids: [String: UInt32] = [:]

    private init(client: IMAPCollectionClient, connection: CollectConnection) {
        driver = ClientDriver(client: client, connection: connection)
    }

    static func open(connection: CollectConnection, configuration: IMAPClientConfiguration) async throws(CollectError) -> IMAPRemoteMailbox {
        var mailbox = IMAPRemoteMailbox(client: IMAPCollectionClient(configuration: configuration), connection: connection)
        let ready = try await mailbox.driver.pump { if case .ready = $0 { true } else { false } }
        if case .ready(let validity, _) = ready { mailbox.uidValidity = validity }
        return mailbox
    }

    mutating func listing() async throws(CollectError) -> [String] {
        let event = try await driver.run(.search)
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
        do { event = try await driver.run(.fetch(uid: uid)) }
        catch {
            // The literal was over the size limit: that message can never be taken. The client
            // closed the connection; the next run goes on with the other messages.
            if case .literalTooLarge(let size)? = driver.failure { return .rejected("\(size) bytes, larger than the size limit") }
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
            let event = try await driver.run(.delete(uids: set))
            guard case .deleted(let gone) = event else {
                _ = try? await driver.run(.logout)
                await driver.connection.close()
                throw .provider("deletion refused (\(Self.reason(event)))")
            }
            let goneSet = Set(gone)
            confirmed = keys.filter { uids[$0].map(goneSet.contains) ?? false }
        }
        _ = try? await driver.run(.logout)
        await driver.connection.close()
        return confirmed
    }

    mutating func abandon() async {
        await driver.connection.close()
    }

    static func reason(_ event: IMAPClientEvent) -> String {
        if case .commandFailed(_, let reason) = event { return reason }
        return "\(event)"
    }
}

extension IMAPCollectionClient: CollectionClient {
    static let protocolName = "IMAP"

    static func answersRequest(_ event: IMAPClientEvent) -> Bool {
        switch event {
        case .searchResult, .message, .deleted, .commandFailed, .finished: true
        default: false
        }
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

extension IMAPClientEvent: CollectionClientEvent {
    var bytesToSend: [UInt8]? { if case .send(let bytes) = self { bytes } else { nil } }
    var failure: IMAPClientError? { if case .failed(let error) = self { error } else { nil } }
}
