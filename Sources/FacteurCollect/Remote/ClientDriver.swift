/// Drives one pure `CollectionClient` over a `CollectConnection`: one request at a time, every
/// event performed in order (sends, STARTTLS/STLS, close), a client failure turned into an error.
/// Both remote mailboxes (POP3 and IMAP) talk to their provider through it.
struct ClientDriver<Client: CollectionClient> {
    private(set) var client: Client
    let connection: CollectConnection
    /// Events received after the answer to the previous request (normally none, or `.close`).
    private var pending: [Client.Event] = []
    /// The client's unrecoverable error; the connection is closed once it is set.
    private(set) var failure: Client.Failure?

    init(client: Client, connection: CollectConnection) {
        self.client = client
        self.connection = connection
    }

    /// Sends one request and returns the event that answers it.
    mutating func run(_ command: Client.Command) async throws(CollectError) -> Client.Event {
        if let failure { throw .provider("connection closed after: \(Client.describe(failure))") }
        let bytes: [UInt8]
        do { bytes = try client.request(command) }
        catch { throw .provider("\(Client.protocolName) client not ready for \(command)") }
        try await connection.send(bytes)
        return try await pump(until: Client.answersRequest)
    }

    /// Reads and performs events until `isAnswer` accepts one; a failure becomes an error.
    mutating func pump(until isAnswer: (Client.Event) -> Bool) async throws(CollectError) -> Client.Event {
        while true {
            if pending.isEmpty { pending = client.receive(try await connection.receive()) }
            while !pending.isEmpty {
                let event = pending.removeFirst()
                if let bytes = event.bytesToSend {
                    try await connection.send(bytes)
                } else if event == .startTLS {
                    try await connection.startTLS()
                    pending = client.tlsEstablished() + pending
                } else if let error = event.failure {
                    failure = error
                    pending = []
                    await connection.close()
                    throw .provider(Client.describe(error))
                } else if event == .close {
                    await connection.close()
                } else if isAnswer(event) {
                    return event
                }
            }
        }
    }
}
