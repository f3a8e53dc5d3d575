/// AUTHORIZATION state: USER/PASS (RFC 1939 §7), AUTH PLAIN (RFC 5034 §4), STLS (RFC 2595 §4).
extension POP3Session {
    mutating func authorization(_ command: POP3Command) -> [POP3Action] {
        switch command {
        case .capa:
            return [.replyMultiline("+OK capability list follows", capabilities)]

        case .quit:
            // RFC 1939 §6: QUIT in AUTHORIZATION ends the session without entering UPDATE.
            state = .closed
            return [.reply("+OK \(configuration.hostname) POP3 server signing off"), .close]

        case .stls:
            if isTLS { return bad("-ERR already using TLS") }
            guard configuration.tlsAvailable else { return bad("-ERR STLS not available") }
            state = .authorization(.startingTLS)
            return [.reply("+OK begin TLS negotiation"), .startTLS]

        case .user(let name):
            if let refusal = plaintextRefusal() { return bad(refusal) }
            state = .authorization(.gotUser(name))
            // The same answer for every name: existence is not revealed (RFC 1939 §13).
            return [.reply("+OK send PASS")]

        case .pass(let password):
            if let refusal = plaintextRefusal() { return bad(refusal) }
            guard case .authorization(.gotUser(let name)) = state else {
                return bad("-ERR USER first")
            }
            return verify(user: name, password: password)

        case .auth(nil, _):
            // RFC 1734 mechanism listing, still sent by some clients.
            return [.replyMultiline("+OK SASL mechanisms follow", loginPermitted ? ["PLAIN"] : [])]

        case .auth(let mechanism?, let initialResponse):
            if let refusal = plaintextRefusal() { return bad(refusal) }
            guard mechanism == "PLAIN" else { return bad("-ERR unsupported SASL mechanism") }
            guard let initialResponse else {
                state = .authorization(.saslResponse)
                return [.continuation("")]   // RFC 5034 §4: PLAIN starts with an empty challenge
            }
            return saslPlain(initialResponse)

        case .stat, .list, .retr, .dele, .noop, .rset, .top, .uidl:
            return bad("-ERR \(command.verb) not valid before login")
        }
    }

    /// The client's line after "+ ": a base64 PLAIN response, or "*" to cancel (RFC 5034 §4).
    mutating func saslResponse(_ raw: [UInt8]) -> [POP3Action] {
        var line = raw[...]
        if line.last == 0x0A { line = line.dropLast() }
        if line.last == 0x0D { line = line.dropLast() }
        lastVerb = "AUTH"
        state = .authorization(.ready)
        guard line.count <= limits.saslLineLength else { return bad("-ERR authentication response too long") }
        if line.elementsEqual([UInt8(ascii: "*")]) {
            return [.reply("-ERR authentication cancelled")]
        }
        return saslPlain(Array(line))
    }

    mutating func saslPlain(_ response: [UInt8]) -> [POP3Action] {
        state = .authorization(.ready)
        switch SASLPlain.decode(base64: response, limits: limits) {
        case .failure(.invalidBase64):
            return bad("-ERR invalid base64 in authentication response")
        case .failure(.malformed), .failure(.tooLong):
            return bad("-ERR malformed PLAIN authentication response")
        case .success(let plain):
            // RFC 4616 §2: an authorisation identity other than the user would be proxy
            // authorisation, which we do not offer; it fails like a bad password.
            if !plain.authorizationID.isEmpty, plain.authorizationID != plain.user {
                return loginFailed(user: plain.user, digest: PasswordDigest.digest(plain.password, key: configuration.digestKey))
            }
            return verify(user: plain.user, password: plain.password)
        }
    }

    /// Hands the credentials to the edge and queues what follows until `authResult`.
    mutating func verify(user: String, password: [UInt8]) -> [POP3Action] {
        let digest = PasswordDigest.digest(password, key: configuration.digestKey)
        state = .authorization(.verifying(user: user, passwordDigest: digest))
        return [.authenticate(user: user, password: password)]
    }

    /// The reply to a plaintext login attempt the policy refuses, or nil if it may proceed.
    func plaintextRefusal() -> String? {
        if loginPermitted { return nil }
        return configuration.tlsAvailable
            ? "-ERR [AUTH] plaintext login not allowed, use STLS first"
            : "-ERR [AUTH] plaintext login not allowed on this connection"
    }

    mutating func loginFailed(user: String, digest: String) -> [POP3Action] {
        failedLogins += 1
        state = .authorization(.ready)
        // RFC 3206 §4 / RFC 2449 §8: [AUTH] = the credentials are wrong, retrying will not help.
        var actions: [POP3Action] = [.loginFailed(user: user, passwordDigest: digest),
                                     .reply("-ERR [AUTH] invalid user name or password")]
        if failedLogins >= limits.failedLogins {
            state = .closed
            actions.append(.close)
        }
        return actions
    }

    /// The edge's verdict on `.authenticate`.
    /// - success: the credentials are right.
    /// - maildrop: the user's messages in index order, or nil if the maildrop could not be opened.
    /// - inUse: another session holds the maildrop lock (RFC 1939 §8, RFC 2449 §8.1.1 [IN-USE]).
    public mutating func authResult(success: Bool, maildrop: [MessageInfo]?, inUse: Bool) -> [POP3Action] {
        guard case .authorization(.verifying(let user, let digest)) = state else { return [] }
        var actions: [POP3Action]
        if !success {
            actions = loginFailed(user: user, digest: digest)
        } else if inUse {
            state = .authorization(.ready)
            actions = [.reply("-ERR [IN-USE] maildrop is locked by another session")]
        } else if let maildrop {
            let messages = maildrop.enumerated().map { MessageInfo(index: $0.offset + 1, uid: $0.element.uid, size: $0.element.size) }
            state = .transaction(Maildrop(user: user, messages: messages))
            let octets = messages.reduce(0) { $0 + $1.size }
            actions = [.loginSucceeded(user: user),
                       .reply("+OK maildrop has \(messages.count) messages (\(octets) octets)")]
        } else {
            state = .authorization(.ready)
            actions = [.reply("-ERR [SYS/TEMP] unable to open the maildrop")]
        }
        if case .closed = state { queued = []; return actions }
        return actions + drainQueue()
    }

    /// The edge could not verify at all (directory unavailable): a temporary failure that
    /// does not count as a failed login (RFC 3206 §4 [SYS/TEMP]).
    public mutating func authUnavailable() -> [POP3Action] {
        guard case .authorization(.verifying) = state else { return [] }
        state = .authorization(.ready)
        return [.reply("-ERR [SYS/TEMP] authentication temporarily unavailable")] + drainQueue()
    }
}
