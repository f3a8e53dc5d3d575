/// A pure collection client (POP3 or IMAP) as `ClientDriver` sees it: requests out as bytes,
/// received bytes in, events back. The client decides everything; the driver only performs.
protocol CollectionClient {
    associatedtype Command
    associatedtype Event
    associatedtype Failure
    associatedtype RequestError: Error

    /// "POP3" or "IMAP", for error messages.
    static var protocolName: String { get }

    mutating func request(_ command: Command) throws(RequestError) -> [UInt8]
    mutating func receive(_ bytes: [UInt8]) -> [Event]
    mutating func tlsEstablished() -> [Event]

    /// What the driver does with `event`.
    static func role(of event: Event) -> ClientEventRole<Failure>
    /// True for the events that answer a request (as opposed to readiness or progress).
    static func answersRequest(_ event: Event) -> Bool
    /// The failure as the collection report says it.
    static func describe(_ failure: Failure) -> String
}

/// The part an event plays for the driver.
enum ClientEventRole<Failure> {
    /// Write these bytes to the provider.
    case send([UInt8])
    /// Start TLS on the connection, then tell the client.
    case startTLS
    /// The client gave up: close the connection and report the failure.
    case failed(Failure)
    /// The session is over: close the connection.
    case close
    /// An event for the caller (readiness, a listing, a message, an answer).
    case result
}
