/// A pure collection client (POP3 or IMAP) as `ClientDriver` sees it: requests out as bytes,
/// received bytes in, events back. The client decides everything; the driver only performs.
protocol CollectionClient {
    associatedtype Command
    associatedtype Event: CollectionClientEvent where Event.Failure == Failure
    associatedtype Failure
    associatedtype RequestError: Error

    /// "POP3" or "IMAP", for error messages.
    static var protocolName: String { get }

    mutating func request(_ command: Command) throws(RequestError) -> [UInt8]
    mutating func receive(_ bytes: [UInt8]) -> [Event]
    mutating func tlsEstablished() -> [Event]

    /// True for the events that answer a request (as opposed to readiness or progress).
    static func answersRequest(_ event: Event) -> Bool
    /// The failure as the collection report says it.
    static func describe(_ failure: Failure) -> String
}

/// The events every collection client has besides its answers: bytes to send, STARTTLS/STLS to
/// start, a failure, the end of the session. The client's event enum has these as cases.
protocol CollectionClientEvent: Equatable {
    associatedtype Failure
    /// Start TLS on the connection, then tell the client.
    static var startTLS: Self { get }
    /// The session is over: close the connection.
    static var close: Self { get }
    /// Write these bytes to the provider.
    var bytesToSend: [UInt8]? { get }
    /// The client gave up: close the connection and report this.
    var failure: Failure? { get }
}
