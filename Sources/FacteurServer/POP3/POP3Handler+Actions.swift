import FacteurCore
import FacteurPOP3Core
import NIOCore
import NIOSSL

/// Performing the session's actions, in order (FacteurPOP3Core `POP3Action`).
extension POP3Handler {
    /// Runs `actions`; an asynchronous one (login, message, deletions) suspends the rest until
    /// `resume(with:_:)`. `verb` is reported with the first status line written.
    func run(_ actions: [POP3Action], _ context: ChannelHandlerContext, verb: String?) {
        var verb = verb
        for (position, action) in actions.enumerated() {
            switch action {
            case .reply(let text):
                write(context, text)
                report(&verb, status: text)
            case .replyMultiline(let status, let lines):
                write(context, status)
                write(context, bytes: POP3DotStuffing.encode(lines: lines))
                report(&verb, status: status)
            case .continuation(let challenge):
                // RFC 5034 §4: "+" SP base64; the AUTH command is reported with its outcome.
                write(context, "+ " + challenge)
                verb = nil
            case .startTLS:
                startTLS(context)
            case .sendMessage(let message, let topLines):
                suspend(actions, after: position, verb: verb)
                sendMessage(message, topLines: topLines, context)
                return
            case .authenticate(let user, let password):
                suspend(actions, after: position, verb: verb)
                authenticate(user: user, password: password, context)
                return
            case .loginFailed(let user, let digest):
                server.hub.publish(.authFailed(id: info.id, service: .pop3, remoteAddress: info.remoteAddress,
                                               user: user, passwordDigest: digest))
                server.hub.publish(.rejected(Rejection(connection: info.id, service: .pop3, remoteAddress: info.remoteAddress,
                                                       rule: "auth", reason: "invalid user name or password", user: user)))
                server.gate.authResult(success: false, remoteAddress: info.remoteAddress, service: .pop3, connection: info.id,
                                       user: user, passwordDigest: digest)
            case .loginSucceeded(let user):
                server.hub.publish(.authSucceeded(id: info.id, service: .pop3, remoteAddress: info.remoteAddress,
                                                  user: owner ?? user))
            case .commitDeletions(let uids):
                suspend(actions, after: position, verb: verb)
                commit(uids, context)
                return
            case .close:
                closeAfterFlush(context)
            }
        }
    }

    private func suspend(_ actions: [POP3Action], after position: Int, verb: String?) {
        busy = true
        pendingVerb = verb
        deferred = Array(actions[(position + 1)...])
    }

    /// Publishes the command once, with 0 for "+OK" and 1 for "-ERR" (`ServerEvent.Kind.command`).
    func report(_ verb: inout String?, status: String) {
        guard let reported = verb else { return }
        verb = nil
        server.hub.publish(.command(id: info.id, service: .pop3, remoteAddress: info.remoteAddress, verb: reported,
                                    replyCode: status.hasPrefix("+OK") ? 0 : 1))
        server.hub.publish(.connectionUpdated(id: info.id, user: owner, state: reported, bytesIn: bytesIn, bytesOut: bytesOut))
    }

    // MARK: STLS

    /// RFC 2595 §4: the "+OK" goes out in plaintext, plaintext already received behind STLS is
    /// discarded (command injection, CVE-2011-0411), then the handshake starts.
    private func startTLS(_ context: ChannelHandlerContext) {
        guard let tls = server.tls else {
            closeAfterFlush(context)
            return
        }
        flushIfNeeded(context)
        let discarded = framer.drain()
        if !discarded.isEmpty {
            server.hub.publish(.log(level: .notice, message: "pop3 \(info.remoteAddress) \(info.id): discarded \(discarded.count) octets sent in plaintext behind STLS"))
        }
        do {
            try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
        } catch {
            closing = true
            context.close(promise: nil)
        }
    }

    // MARK: Login

    /// Asks the guard first (a banned address has no password verified; one that has failed
    /// waits its turn, `AuthPenalty`), verifies on the I/O pool (yescrypt is slow by design),
    /// then answers the session.
    private func authenticate(user: String, password: [UInt8], _ context: ChannelHandlerContext) {
        switch server.gate.loginAttempt(remoteAddress: info.remoteAddress, service: .pop3) {
        case .refused(let refusal):
            refusedByBan(refusal, context)
        case .proceed(let wait) where wait > 0:
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(wait * 1000))) {
                let (handler, ctx) = bound.value
                guard handler.active else { return }
                // Other connections' failures may have made a ban meanwhile.
                if let refusal = handler.server.gate.banRefusal(remoteAddress: handler.info.remoteAddress, service: .pop3) {
                    handler.refusedByBan(refusal, ctx)
                } else {
                    handler.verify(user: user, password: password, ctx)
                }
            }
        case .proceed:
            verify(user: user, password: password, context)
        }
    }

    private func refusedByBan(_ refusal: GateRefusal, _ context: ChannelHandlerContext) {
        timer?.cancel()
        life.close(for: .banned(refusal), context)
    }

    private func verify(user: String, password: [UInt8], _ context: ChannelHandlerContext) {
        let services = self.services, database = server.database, id = info.id
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        server.ioPool.runIfActive(eventLoop: context.eventLoop) {
            POP3Login.attempt(user: user, password: password, connection: id, services: services, database: database)
        }.whenComplete { result in
            let (handler, ctx) = bound.value
            handler.finishAuthentication(result, password: password, ctx)
        }
    }

    private func finishAuthentication(_ result: Result<POP3Login.Outcome, Error>, password: [UInt8],
                                      _ context: ChannelHandlerContext) {
        let outcome: POP3Login.Outcome
        switch result {
        case .success(let value): outcome = value
        case .failure(let error): outcome = .unavailable("\(error)")
        }
        guard active else {
            // The client left while its login was checked: give the lock back at once.
            if case .opened(let owner, .some, _) = outcome { services.locks.release(owner, by: info.id) }
            return
        }
        let digest = PasswordDigest.digest(password, key: services.digestKey)
        let actions: [POP3Action]
        switch outcome {
        case .rejected:
            // The gate hears of it through `.loginFailed`, at once (a ban then closes every
            // connection of the address); the reply waits for the address's penalty.
            let failed = session.authResult(success: false, maildrop: nil, inUse: false)
            let delay = server.gate.loginFailedDelay(remoteAddress: info.remoteAddress, service: .pop3)
            guard delay > 0 else { return resume(with: failed, context) }
            let report = failed.filter { if case .loginFailed = $0 { true } else { false } }
            run(report, context, verb: nil)
            let reply = failed.filter { if case .loginFailed = $0 { false } else { true } }
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(delay * 1000))) {
                let (handler, ctx) = bound.value
                guard handler.active, !handler.closing else { return }
                handler.resume(with: reply, ctx)
            }
            return
        case .unavailable(let why):
            server.hub.publish(.log(level: .error, message: "pop3 \(info.remoteAddress) \(info.id): cannot check the login: \(why)"))
            actions = session.authUnavailable()
        case .inUse(let owner):
            server.gate.authResult(success: true, remoteAddress: info.remoteAddress, service: .pop3, connection: info.id, user: owner, passwordDigest: digest)
            server.hub.publish(.log(level: .info, message: "pop3 \(info.remoteAddress) \(info.id): maildrop of \(owner) is in use by \(services.locks.holder(of: owner).map(\.description) ?? "another session")"))
            actions = session.authResult(success: true, maildrop: nil, inUse: true)
        case .opened(let owner, let entries, let error):
            server.gate.authResult(success: true, remoteAddress: info.remoteAddress, service: .pop3, connection: info.id, user: owner, passwordDigest: digest)
            if let entries {
                self.owner = owner
                self.entries = entries
                let maildrop = entries.enumerated().map { MessageInfo(index: $0.offset + 1, uid: $0.element.uid, size: $0.element.size) }
                actions = session.authResult(success: true, maildrop: maildrop, inUse: false)
            } else {
                server.hub.publish(.log(level: .error, message: "pop3 \(info.remoteAddress) \(info.id): cannot open the maildrop of \(owner): \(error ?? "?")"))
                actions = session.authResult(success: true, maildrop: nil, inUse: false)
            }
        }
        resume(with: actions, context)
    }

    // MARK: UPDATE

    /// RFC 1939 §6: the messages marked at QUIT are removed; the reply says whether they all were.
    private func commit(_ uids: [String], _ context: ChannelHandlerContext) {
        guard let owner else {
            resume(with: session.commitResult(success: false), context)
            return
        }
        committing = true
        let maildrops = services.maildrops
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        server.ioPool.runIfActive(eventLoop: context.eventLoop) {
            try maildrops.delete(owner: owner, uids: uids)
        }.whenComplete { result in
            let (handler, ctx) = bound.value
            handler.finishCommit(result, owner: owner, count: uids.count, ctx)
        }
    }

    private func finishCommit(_ result: Result<Void, Error>, owner: String, count: Int, _ context: ChannelHandlerContext) {
        committing = false
        switch result {
        case .success:
            server.hub.publish(.log(level: .info, message: "pop3 \(info.remoteAddress) \(info.id): \(owner) deleted \(count) messages"))
        case .failure(let error):
            server.hub.publish(.log(level: .error, message: "pop3 \(info.remoteAddress) \(info.id): deleting messages of \(owner): \(error)"))
        }
        guard active else {
            releaseMaildrop()
            return
        }
        var success = false
        if case .success = result { success = true }
        resume(with: session.commitResult(success: success), context)
    }
}
