/// How the collection client protects the connection to the provider.
public enum CollectionSecurity: Sendable, Equatable, Codable {
    /// TLS from the first byte (POP3 995, IMAP 993; RFC 8314). The edge connects with TLS.
    case implicitTLS
    /// Plaintext connection upgraded with STLS / STARTTLS before any credential is sent; a server
    /// refusing the upgrade fails the run (no silent downgrade).
    case startTLS
    /// No TLS at all. Only sensible on loopback (tests, a local relay).
    case none
}

public struct POP3ClientConfiguration: Sendable, Equatable {
    public var user: String
    public var password: String
    public var security: CollectionSecurity
    public var limits: CollectionClientLimits

    public init(user: String, password: String, security: CollectionSecurity,
                limits: CollectionClientLimits = .standard) {
        self.user = user; self.password = password; self.security = security; self.limits = limits
    }
}

/// Requests the collector makes once the client is `.ready`.
public enum POP3ClientCommand: Sendable, Equatable {
    /// UIDL without argument (RFC 1939 §7).
    case uidl
    /// LIST without argument.
    case list
    /// RETR msg.
    case retrieve(Int)
    /// DELE msg: only marks; the server deletes at a successful QUIT (RFC 1939 §6).
    case delete(Int)
    case noop
    /// QUIT: commits the DELEs.
    case quit
}

/// One line of a UIDL or LIST listing.
public struct POP3ListingEntry: Sendable, Equatable {
    public var index: Int
    /// The unique-id for UIDL, the size in decimal for LIST.
    public var value: String
    public init(index: Int, value: String) { self.index = index; self.value = value }
}

public enum POP3ClientError: Error, Sendable, Equatable {
    /// The greeting was -ERR or not a POP3 greeting.
    case greetingRejected(String)
    /// STLS was refused while `.startTLS` was required.
    case tlsUnavailable(String)
    /// The login was refused. `code` is the RFC 2449 / 3206 response code ("AUTH", "IN-USE",
    /// "SYS/TEMP", …) when the server sent one: IN-USE and SYS/TEMP are worth retrying later.
    case authenticationFailed(code: String?, message: String)
    /// The server broke the protocol (unexpected line, bad listing, data after STLS, …).
    case protocolViolation(String)
    /// A status line longer than `responseLineLength`.
    case lineTooLong
    /// QUIT got -ERR: the DELEs may not have been committed (RFC 1939 §6).
    case quitFailed(String)
}

/// What the edge (the collector's socket) must do, in order.
public enum POP3ClientEvent: Sendable, Equatable {
    /// Write these bytes.
    case send([UInt8])
    /// STLS accepted: start the TLS handshake now, then call `tlsEstablished()`.
    case startTLS
    /// Logged in, in TRANSACTION: the collector may issue `request(_:)`. The capabilities are
    /// those listed after TLS (RFC 2595 §4), empty if the server has no CAPA.
    case ready(capabilities: [String])
    case uidListing([POP3ListingEntry])
    case sizeListing([POP3ListingEntry])
    /// A retrieved message, byte-stuffing removed, CRLF line endings as received.
    case message(index: Int, content: [UInt8])
    case deleted(Int)
    case noop
    /// The server refused a command (or the message was over the size limit); the connection
    /// is still usable.
    case commandFailed(POP3ClientCommand, reason: String)
    /// QUIT answered +OK: the DELEs are committed.
    case finished
    /// Unrecoverable: report and close.
    case failed(POP3ClientError)
    /// Close the connection.
    case close
}

/// Splits a POP3 status line into its indicator, response code (RFC 2449 §8) and text.
public struct POP3StatusLine: Sendable, Equatable {
    public var ok: Bool
    public var code: String?
    public var text: String

    public init?(_ line: [UInt8]) {
        let string = String(decoding: line, as: UTF8.self)
        let rest: Substring
        if string.hasPrefix("+OK") { ok = true; rest = string.dropFirst(3) }
        else if string.hasPrefix("-ERR") { ok = false; rest = string.dropFirst(4) }
        else { return nil }
        guard rest.isEmpty || rest.first == " " else { return nil }
        var body = rest.drop { $0 == " " }
        code = nil
        // resp-code = "[" resp-level *("/" resp-level) "]"   (RFC 2449 §8)
        if body.first == "[", let close = body.firstIndex(of: "]") {
            code = String(body[body.index(after: body.startIndex)..<close])
            body = body[body.index(after: close)...].drop { $0 == " " }
        }
        text = String(body)
    }
}
