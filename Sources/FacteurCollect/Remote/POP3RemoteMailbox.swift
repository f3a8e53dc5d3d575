import FacteurPOP3Core

/// Drives the pure `POP3Client` over a `CollectConnection`: one command at a time, every event
/// performed in order (RFC 1939; STLS RFC 2595; AUTH PLAIN RFC 5034).
struct POP3RemoteMailbox: RemoteMailbox {
    private var client: POP3Client
    private let connection: CollectConnection
    /// UIDL key → message number, from the listing of this session.
    private var numbers: [String: Int] = [:]
    /// LIST sizes by message number, to skip oversize messages without downloading them.
    private var sizes: [Int: Int] = [:]
    /// Events received after the answer to the previous command (normally none, or `.close`).
    private var pending: [POP3ClientEvent] = []

    private init(client: POP3Client, connection: CollectConnection) {
        self.client = client; self.connection = connection
    }

    /// Connects and logs in (greeting → CAPA → [STLS] → AUTH PLAIN | USER/PASS).
    static func open(connection: CollectConnection, configuration: POP3ClientConfiguration) async throws(CollectError) -> POP3RemoteMailbox {
        var mailbox = POP3RemoteMailbox(client: POP3Client(configuration: configuration), connection: connection)
        _ = try await mailbox.pump { if case .ready = $0 { true } else { false } }
        return mailbox
    }

    mutating func listing() async throws(CollectError) -> [String] {
        let uidl = try await run(.uidl)
        guard case .uidListing(let entries) = uidl else {
            throw .provider("UIDL refused (\(Self.reason(uidl))): without unique ids messages cannot be tracked")
        }
        if case .sizeListing(let list) = try await run(.list) {
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
        let limit = client.configuration.limits.messageSize
        if let size = sizes[number], size > limit {
            return .rejected("\(size) bytes, larger than the \(limit)-byte limit")
        }
        let event = try await run(.retrieve(number))
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
            if case .deleted = try await run(.delete(number)) { marked.append(key) }
        }
        // DELE only marks; the deletions happen when QUIT answers +OK (UPDATE state, RFC 1939 §6).
        let quit = try await run(.quit)
        await connection.close()
        guard case .finished = quit else {
            throw .provider("QUIT refused (\(Self.reason(quit))): the deletions may not have happened; they are asked for again at the next run")
        }
        return marked
    }

    mutating func abandon() async {
        await connection.close()
    }

    // MARK: - Event pump

    /// Sends one request and returns the event that answers it.
    private mutating func run(_ command: POP3ClientCommand) async throws(CollectError) -> POP3ClientEvent {
        let bytes: [UInt8]
        do { bytes = try client.request(command) }
        catch { throw .provider("POP3 client not ready for \(command)") }
        try await connection.send(bytes)
        return try await pump { event in
            switch event {
            case .uidListing, .sizeListing, .message, .deleted, .noop, .commandFailed, .finished: true
            default: false
            }
        }
    }

    /// Reads and performs events until `isAnswer` accepts one; `.failed` becomes an error.
    private mutating func pump(until isAnswer: (POP3ClientEvent) -> Bool) async throws(CollectError) -> POP3ClientEvent {
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

    /// The reason `POP3Client` gives for a RETR over `CollectionClientLimits.messageSize`.
    static let clientSizeVerdict = "message exceeds the size limit"

    private static func reason(_ event: POP3ClientEvent) -> String {
        if case .commandFailed(_, let reason) = event { return reason }
        return "\(event)"
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
