import FacteurMIME

/// Not-authenticated state: STARTTLS, LOGIN, AUTHENTICATE PLAIN (RFC 3501 §6.2, RFC 4616,
/// RFC 4959 SASL-IR).
extension IMAPSession {
    mutating func executeNotAuthenticated(_ tagged: TaggedCommand, into output: inout SessionOutput) async {
        let tag = tagged.tag
        switch tagged.command {
        case .starttls:
            guard configuration.tlsAvailable, !configuration.tlsActive else {
                output.tagged(tag, .bad, nil, configuration.tlsActive ? "TLS is already active" : "TLS is not available")
                return
            }
            output.tagged(tag, .ok, nil, "Begin TLS negotiation now")
            output.trailing.append(.startTLS)
        case .login(let username, let password):
            guard configuration.authenticationAllowed else {
                output.tagged(tag, .no, .privacyRequired, "LOGIN is disabled until STARTTLS")
                return
            }
            await logIn(tag: tag, username: username, password: password, into: &output)
        case .authenticate(let mechanism, let initialResponse):
            guard mechanism == "PLAIN" else {
                output.tagged(tag, .no, nil, "Unsupported authentication mechanism")
                return
            }
            guard configuration.authenticationAllowed else {
                output.tagged(tag, .no, .privacyRequired, "Authentication is disabled until STARTTLS")
                return
            }
            guard let initialResponse else {
                output.writer.response(.challenge([]))
                state = .authenticating(tag: tag)
                return
            }
            // SASL-IR: "=" is an empty initial response (RFC 4959 §3).
            let decoded = initialResponse == "=" ? [] : Base64.decode(Array(initialResponse.utf8), strict: true)
            guard let decoded else {
                output.tagged(tag, .bad, nil, "Invalid base64 in initial response")
                return
            }
            await plainAuthentication(tag: tag, message: decoded, into: &output)
        default:
            output.tagged(tag, .bad, nil, "Unexpected command")
        }
    }

    /// The client's line after "+ " in AUTHENTICATE.
    mutating func finishPlainAuthentication(tag: String, response: [UInt8], into output: inout SessionOutput) async {
        state = .notAuthenticated
        let decoded: [UInt8]?
        do {
            decoded = try IMAPCommandParser.parseAuthenticationResponse(response)
        } catch {
            output.tagged(tag, .bad, nil, error.reason)
            return
        }
        guard let decoded else {
            output.tagged(tag, .bad, nil, "Authentication cancelled")
            return
        }
        await plainAuthentication(tag: tag, message: decoded, into: &output)
    }

    /// `message = [authzid] UTF8NUL authcid UTF8NUL passwd` (RFC 4616 §2).
    private mutating func plainAuthentication(tag: String, message: [UInt8], into output: inout SessionOutput) async {
        let parts = message.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            output.tagged(tag, .bad, nil, "Malformed PLAIN credentials")
            return
        }
        let authzid = String(decoding: parts[0], as: UTF8.self)
        let username = String(decoding: parts[1], as: UTF8.self)
        let password = String(decoding: parts[2], as: UTF8.self)
        guard authzid.isEmpty || authzid == username else {
            output.tagged(tag, .no, .authorizationFailed, "Acting as another user is not allowed")
            output.trailing.append(.authenticationFailed(username: username))
            return
        }
        await logIn(tag: tag, username: username, password: password, into: &output)
    }

    private mutating func logIn(tag: String, username: String, password: String, into output: inout SessionOutput) async {
        guard let store = await authenticator.authenticate(username: username, password: password) else {
            output.tagged(tag, .no, .authenticationFailed, "Authentication failed")
            output.trailing.append(.authenticationFailed(username: username))
            return
        }
        state = .authenticated(Login(username: username, store: store), mailbox: nil)
        output.tagged(tag, .ok, .capability(configuration.capabilities(authenticated: true)), "Logged in")
        output.trailing.append(.authenticated(username: username))
    }
}
