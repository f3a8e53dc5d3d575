/// What the framer hands to the caller (the connection handler), one event per `next()` call.
public enum IMAPFrame: Sendable, Equatable {
    /// Not enough bytes yet; feed more. Nothing buffered is lost.
    case incomplete
    /// The client sent a synchronising literal `{n}` (RFC 3501 §7.5): the server must send
    /// `+ Ready for literal` before the client sends the literal's octets.
    case continuationRequest
    /// A complete command: its lines and inline literal octets exactly as received
    /// (CRLF or bare LF line ends included). Also used for `DONE` and SASL response lines.
    case command([UInt8])
    /// An APPEND literal large enough to be streamed begins. `prefix` is the command up to
    /// and including the `{n}` / `{n+}` line (`IMAPCommandParser.parseAppendPrefix`).
    /// When `synchronizing` is true the caller must send a continuation (or refuse with a
    /// tagged NO, e.g. `[OVERQUOTA]`, and then call `IMAPFramer.abandonStreamedLiteral()`).
    case literalStart(prefix: [UInt8], size: Int, synchronizing: Bool)
    /// Octets of the streamed literal, at most `IMAPLimits.literalChunkSize` each.
    case literalChunk([UInt8])
    /// The streamed literal is complete.
    case literalEnd
    /// The rest of a command whose literal was streamed: the octets after the literal up to
    /// and including the final line end (for a plain APPEND just `CRLF`).
    case commandTail([UInt8])
}

/// A framing failure. `isFatal` errors leave the byte stream unsynchronised: reply
/// `* BAD` / `* BYE` and close. Other errors dropped the offending command only: reply
/// `<tag> BAD <reason>` (or `NO [TOOBIG]`) and keep reading.
public struct IMAPFramingError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case lineTooLong(limit: Int)
        case literalTooLarge(size: Int?, limit: Int)
        case tooManyLiterals(limit: Int)
        case commandTooLarge(limit: Int)
    }

    public var kind: Kind
    public var isFatal: Bool
    /// The bytes of the refused command received so far (to recover its tag).
    public var partialCommand: [UInt8]

    public init(kind: Kind, isFatal: Bool, partialCommand: [UInt8]) {
        self.kind = kind; self.isFatal = isFatal; self.partialCommand = partialCommand
    }

    /// The command tag, if the partial command starts with a syntactically valid one.
    public var tag: String? { IMAPGrammar.leadingTag(partialCommand) }

    /// Human reason for the BAD reply.
    public var reason: String {
        switch kind {
        case .lineTooLong(let limit): return "Command line longer than \(limit) octets"
        case .literalTooLarge(let size, let limit):
            if let size { return "Literal of \(size) octets exceeds the limit of \(limit)" }
            return "Literal size exceeds the limit of \(limit)"
        case .tooManyLiterals(let limit): return "More than \(limit) literals in one command"
        case .commandTooLarge(let limit): return "Command larger than \(limit) octets"
        }
    }
}
