import FacteurCore
import FacteurIMAPCore
import FacteurMailStore
import NIOCore
import NIOSSL

/// What the handler does with the session's actions, and the events it publishes.
extension IMAPHandler {
    func run(_ actions: [IMAPSessionAction], _ context: ChannelHandlerContext) {
        for action in actions {
            guard !closing else { return }
            switch action {
            case .send(let bytes):
                write(context, bytes)
                track(bytes, context)
            case .startTLS:
                startTLS(context)
            case .abandonStreamedLiteral:
                framer.abandonStreamedLiteral()
            case .startCompression:
                startCompression(context)
            case .close:
                closeAfterFlush(context)
            case .authenticated(let username):
                loggedIn(username)
            case .authenticationFailed(let username):
                loginFailed(username, context)
            }
        }
    }

    /// Events for completed commands, IDLE bookkeeping, and the BAD limit.
    private func track(_ bytes: [UInt8], _ context: ChannelHandlerContext) {
        let badBefore = tracker.badCount
        if let done = tracker.responseSent(bytes) {
            server.hub.publish(.command(id: info.id, service: .imap, remoteAddress: info.remoteAddress,
                                        verb: done.verb, replyCode: done.status.rawValue))
            publishState(verb: done.verb)
            if done.verb == "IDLE" { idling = false }
        } else if tracker.lastVerb == "IDLE", bytes.starts(with: Array("+ ".utf8)), !idling {
            // "+ idling": the client may now be told of changes at once (RFC 2177); look once
            // for changes made since the session last synchronised.
            idling = true
            changePending = true
        }
        if tracker.badCount > badBefore {
            // Protocol abuse feeds the guard as SMTP's does ([guard] bad_commands per session).
            let text = String(decoding: bytes.prefix(120).map { (0x20..<0x7F).contains($0) ? $0 : UInt8(ascii: " ") }, as: UTF8.self)
            server.gate.offence(.badCommand, remoteAddress: info.remoteAddress, service: .imap, connection: info.id,
                                evidence: ["IMAP answered: \(text.trimmingCharacters(in: .whitespaces))"])
        }
        if tracker.badCount > badBefore && tracker.badCount >= IMAPServerLimits.maxBadResponses {
            server.hub.publish(.rejected(Rejection(connection: info.id, service: .imap, remoteAddress: info.remoteAddress,
                                                   rule: "protocol", reason: "\(tracker.badCount) invalid commands", user: user)))
            bye(context, "Too many invalid commands")
        }
    }

    func publishState(verb: String) {
        server.hub.publish(.connectionUpdated(id: info.id, user: user, state: verb, bytesIn: bytesIn, bytesOut: bytesOut))
    }

    private func startTLS(_ context: ChannelHandlerContext) {
        guard let tls = server.tls else { return }
        flushIfNeeded(context)
        // Anything the client sent after STARTTLS, before the handshake, is discarded.
        framer.reset()
        do {
            try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
            awaitingTLS = true
        } catch {
            closing = true
            context.close(promise: nil)
        }
    }

    // MARK: Logins

    private func loggedIn(_ username: String) {
        let owner = IMAPUserAuthenticator.owner(for: username, defaultDomain: server.config.domains.first)
        user = owner
        server.gate.authResult(success: true, remoteAddress: info.remoteAddress, service: .imap, connection: info.id,
                               user: owner, passwordDigest: "")
        server.hub.publish(.authSucceeded(id: info.id, service: .imap, remoteAddress: info.remoteAddress, user: owner))
    }

    private func loginFailed(_ username: String?, _ context: ChannelHandlerContext) {
        // A ban covers the client: no password was verified, and the connection ends.
        if let refusal = authenticator.takeBanRefusal() {
            flushIfNeeded(context)
            life.close(for: .banned(refusal), context)
            return
        }
        // The authenticator saw the password; when it was not asked (a refused authorisation
        // identity), the attempt counts as one empty password.
        let attempt = authenticator.takeLastFailure()
            ?? (user: IMAPUserAuthenticator.printable(username ?? ""), digest: LoginDigest.digest(""))
        failedLogins += 1
        server.hub.publish(.authFailed(id: info.id, service: .imap, remoteAddress: info.remoteAddress,
                                       user: attempt.user, passwordDigest: attempt.digest))
        server.hub.publish(.rejected(Rejection(connection: info.id, service: .imap, remoteAddress: info.remoteAddress,
                                               rule: "auth", reason: "wrong password for \(attempt.user)", user: attempt.user)))
        // The guard may ban the address now; this connection ends after a few failures.
        server.gate.authResult(success: false, remoteAddress: info.remoteAddress, service: .imap, connection: info.id,
                               user: attempt.user, passwordDigest: attempt.digest)
        if failedLogins >= IMAPServerLimits.maxFailedLogins {
            flushIfNeeded(context)
            bye(context, "Too many failed logins")
        }
    }

    // MARK: Store changes

    /// Follows the selected mailbox with a change subscription (after every session step).
    func followSelection(_ context: ChannelHandlerContext) {
        guard let s = session, let owner = user else { return }
        let wanted: String?
        if case .selected(let name) = s.phase, let storeName = try? IMAPStoreConversions.storeName(name) {
            wanted = (try? MailboxName(storeName).canonical) ?? storeName
        } else {
            wanted = nil
        }
        guard wanted != subscribedMailbox else { return }
        unsubscribe()
        guard let wanted else { return }
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        subscription = service.mailStore.changes.subscribe(owner: owner, mailbox: wanted) { _, _ in
            // Called on the thread that changed the store, holding its lock: only enqueue.
            loop.execute {
                let (h, ctx) = bound.value
                guard !h.closing else { return }
                h.changePending = true
                h.pump(ctx)
            }
        }
        subscribedMailbox = wanted
    }

    func unsubscribe() {
        if let s = subscription { service.mailStore.changes.unsubscribe(s) }
        subscription = nil
        subscribedMailbox = nil
    }
}
