/// One POP3 server connection as a pure state machine (RFC 1939 §3 states, RFC 2449, 2595, 5034).
///
/// The edge feeds it lines and completion results and performs the returned actions in order.
/// It never touches a socket, a file or a clock.
///
///     AUTHORIZATION ──login──▶ TRANSACTION ──QUIT──▶ UPDATE ──commit──▶ closed
///          │ STLS, USER/PASS, AUTH PLAIN                              ▲
///          └──QUIT / too many errors ─────────────────────────────────┘
///
/// Deletions are only ever requested from UPDATE (`.commitDeletions`), which is reached through
/// QUIT in TRANSACTION: a dropped connection deletes nothing (RFC 1939 §6).
public struct POP3Session: Sendable {
    public enum State: Sendable, Equatable {
        case authorization(Authorization)
        case transaction(Maildrop)
        /// QUIT received; the edge is committing the deletions (RFC 1939 §6).
        case update(Maildrop)
        case closed
    }

    /// Sub-states of AUTHORIZATION.
    public enum Authorization: Sendable, Equatable {
        case ready
        /// USER accepted; PASS expected next (RFC 1939 §7).
        case gotUser(String)
        /// `AUTH PLAIN` without initial response: the "+ " was sent, the client's response is next.
        case saslResponse
        /// Credentials handed to the edge; lines are queued until `authResult`.
        case verifying(user: String, passwordDigest: String)
        /// STLS answered; waiting for the handshake (RFC 2595 §4).
        case startingTLS
    }

    /// The maildrop of a logged-in user during TRANSACTION / UPDATE. It does not change during
    /// the session; DELE marks live in `markedForDeletion`.
    public struct Maildrop: Sendable, Equatable {
        public var user: String
        public var messages: [MessageInfo]

        public init(user: String, messages: [MessageInfo]) {
            self.user = user; self.messages = messages
        }
    }

    public let configuration: POP3SessionConfiguration
    public internal(set) var state: State = .authorization(.ready)
    public internal(set) var isTLS: Bool
    /// Verb of the last command processed ("RETR"), for the event stream; nil for non-commands.
    public internal(set) var lastVerb: String?
    public internal(set) var badCommands = 0
    public internal(set) var failedLogins = 0
    /// 1-based numbers marked by DELE (RFC 1939 §5), kept outside the state payload so that
    /// marking is an in-place update.
    public internal(set) var markedForDeletion: Set<Int> = []
    var queued: [[UInt8]] = []

    public init(configuration: POP3SessionConfiguration) {
        self.configuration = configuration
        self.isTLS = configuration.isTLS
    }

    var limits: POP3Limits { configuration.limits }

    /// RFC 1939 §4 "AUTHORIZATION", "TRANSACTION", "UPDATE"; "CLOSED" at the end.
    public var stateName: String {
        switch state {
        case .authorization: "AUTHORIZATION"
        case .transaction: "TRANSACTION"
        case .update: "UPDATE"
        case .closed: "CLOSED"
        }
    }

    /// The logged-in user, once the login has succeeded.
    public var user: String? {
        switch state {
        case .transaction(let drop), .update(let drop): drop.user
        default: nil
        }
    }

    /// The greeting (RFC 1939 §4). APOP is not offered, so there is no timestamp.
    public func start() -> [POP3Action] {
        [.reply("+OK \(configuration.hostname) POP3 server ready")]
    }

    /// One line from the client, CRLF removed or not.
    public mutating func receive(line: [UInt8]) -> [POP3Action] {
        lastVerb = nil
        switch state {
        case .closed, .update:
            // Nothing after QUIT is processed (pipelined input behind QUIT is dropped).
            return []
        case .authorization(.startingTLS):
            // Plaintext between STLS and the handshake is an injection attempt (RFC 2595 §4,
            // CVE-2011-0411): never act on it.
            state = .closed
            return [.close]
        case .authorization(.verifying):
            guard queued.count < limits.pipelinedLinesWhileVerifying else {
                state = .closed
                return [.reply("-ERR too many pipelined commands"), .close]
            }
            queued.append(line)
            return []
        case .authorization(.saslResponse):
            return saslResponse(line)
        case .authorization, .transaction:
            break
        }
        switch POP3Command.parse(line, limits: limits) {
        case .success(let command):
            lastVerb = command.verb
            if case .transaction(let drop) = state {
                return transaction(command, drop)
            }
            return authorization(command)
        case .failure(let error):
            switch error {
            case .empty: return bad("-ERR empty command")
            case .tooLong: return bad(POP3Replies.lineTooLong)
            case .invalidCharacters: return bad("-ERR invalid characters in command")
            case .unknown: return bad("-ERR unknown command")
            case .syntax(let verb):
                lastVerb = verb
                return bad("-ERR syntax error in \(verb) arguments")
            }
        }
    }

    /// The edge's framer dropped a line longer than `limits.framedLineLength`.
    public mutating func receiveOverflow() -> [POP3Action] {
        lastVerb = nil
        switch state {
        case .authorization(.saslResponse):
            state = .authorization(.ready)
            return bad("-ERR authentication response too long")
        case .authorization(.startingTLS):
            state = .closed
            return [.close]
        case .authorization(.verifying):
            state = .closed
            return [.close]
        case .closed, .update:
            return []
        case .authorization, .transaction:
            return bad(POP3Replies.lineTooLong)
        }
    }

    /// The TLS handshake after STLS completed. The session restarts AUTHORIZATION: a USER given
    /// before STLS is forgotten (RFC 2595 §4: the client must discard cached state).
    public mutating func tlsEstablished() -> [POP3Action] {
        guard case .authorization(.startingTLS) = state else { return [] }
        isTLS = true
        state = .authorization(.ready)
        return []
    }

    /// Counts a bad command; past the limit the connection is closed.
    mutating func bad(_ reply: String) -> [POP3Action] {
        badCommands += 1
        if badCommands >= limits.badCommands {
            state = .closed
            return [.reply("-ERR too many bad commands, closing connection"), .close]
        }
        return [.reply(reply)]
    }

    /// Runs lines queued during verification, stopping again if one of them starts a new verification.
    mutating func drainQueue() -> [POP3Action] {
        var actions: [POP3Action] = []
        let pending = queued
        queued = []
        for (position, line) in pending.enumerated() {
            if case .authorization(.verifying) = state {
                queued.append(contentsOf: pending[position...])
                break
            }
            actions += receive(line: line)
        }
        return actions
    }
}
