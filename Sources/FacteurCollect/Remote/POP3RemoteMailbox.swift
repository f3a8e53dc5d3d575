/// Drives the pure `POP3Client` over a `CollectConnection`: one command at a time, every event
/// performed in order (RFC 1939; STLS RFC 2595; AUTH PLAIN RFC 5034).
struct POP3RemoteMailbox: RemoteMailbox {
    private var driver: ClientDriver<POP3Client>
    /// UIDL key → message number, from the listing of this session.
    private var numbers: [String: Int] = [:]
    /// LIST sizes by message number, to skip oversize messages without downloading them.
    private var sizes: [Int: Int] = [:]

    private init(client: POP3Client, connection: CollectConnection) {
        driver = ClientDriver(client: client, connection: connection)
    }

    /// Connects and logs in (greeting → CAPA → [STLS] → AUTH PLAIN | USER/PASS).
    static func open(connection: CollectConnection, configuration: POP3ClientConfiguration) async throws(CollectError) -> POP3RemoteMailbox {
        var mailbox = POP3RemoteMailbox(client: POP3Client(configuration: configuration), connection: connection)
        _ = try await mailbox.driver.pump { if case .ready = $0 { true } else { false } }
        return mailbox
    }

    mutating func listing() async throws(CollectError) -> [String] {
        let uidl = try await driver.run(.uidl)
        guard case .uidListing(let entries) = uidl else {
            throw .provider("UIDL refused (\(Self.reason(uidl))): without unique ids messages cannot be tracked")
        }
        if case .sizeListing(let list) = try await driver.run(.list) {
            for entry in list { if let size = Int(entry.value) { sizes[entry.index] = size } }
        }
        numbers = [:]
        var keys: [String] = []
        for entry in entries where numbers[entry.value] == nil {
            numbers[entry.value] = entry.index
            keys.append(entry.value)
        }
        return keys
    }

    mutating func fetch(_ key: String) async throws(CollectError) -> FetchOutcome {
        guard let number = numbers[key] else { return .transientFailure("not in this session's listing") }
        let limit = driver.client.configuration.limits.messageSize
        if let size = sizes[number], size > limit {
            return .rejected("\(size) bytes, larger than the \(limit)-byte limit")
        }
        let event = try await driver.run(.retrieve(number))
        switch event {
        case .message(_, let content): return .message(content)
        case .commandFailed(_, let reason) where reason == Self.clientSizeVerdict: return .rejected(reason)
        default: return .transientFailure(Self.reason(event))
        }
    }

    mutating func deleteAndFinish(_ keys: [String]) async throws(CollectError) -> [String] {
        var marked: [String] = []
        for key in keys {
            guard let number = numbers[key] else { continue }
            if case .deleted = try await driver.run(.delete(number)) { marked.append(key) }
        }
        // DELE only marks; the deletions happen when QUIT answers +OK (UPDATE state, RFC 1939 §6).
        let quit = try await driver.run(.quit)
        await driver.connection.close()
        guard case .finished = quit else {
            throw .provider("QUIT refused (\(Self.reason(quit))): the deletions may not have happened; they are asked for again at the next run")
        }
        return marked
    }

    mutating func abandon() async {
        await driver.connection.close()
    }

    /// The reason `POP3Client` gives for a RETR over `CollectionClientLimits.messageSize`.
    static let clientSizeVerdict = "message exceeds the size limit"

    static func reason(_ event: POP3ClientEvent) -> String {
        if case .commandFailed(_, let reason) = event { return reason }
        return "\(event)"
    }
}

extension POP3Client: CollectionClient {
    static let protocolName = "POP3"

    static func answersRequest(_ event: POP3ClientEvent) -> Bool {
        switch event {
        case .uidListing, .sizeListing, .message, .deleted, .noop, .commandFailed, .finished: true
        default: false
        }
    }

    static func describe(_ error: POP3ClientError) -> String {
        switch error {
        case .greetingRejected(let text): return "greeting refused: \(text)"
        case .tlsUnavailable(let text): return "STLS refused (\(text)); set tls = \"implicit\" or \"none\" if the provider has no STLS"
        case .authenticationFailed(let code, let text): return "login refused\(code.map { " [\($0)]" } ?? ""): \(text)"
        case .protocolViolation(let text): return "protocol error: \(text)"
        case .lineTooLong: return "protocol error: response line too long"
        case .quitFailed(let text): return "QUIT refused (\(text)): the deletions may not have happened; they are asked for again at the next run"
        }
    }
}

extension POP3ClientEvent: CollectionClientEvent {
    var bytesToSend: [UInt8]? { if case .send(let bytes) = self { bytes } else { nil } }
    var failure: POP3ClientError? { if case .failed(let error) = self { error } else { nil } }
}
