import FacteurCore
import FacteurStore
import Foundation
import NIOCore
import NIOSSL
import NIOTLS
import FacteurMIME

/// Holds a spool file while it moves between the event loop and the I/O pool; the future chain
/// in `SMTPHandler` guarantees one user at a time.
final class SpoolBox: @unchecked Sendable {
    var file: SpoolFile?
}

/// The SwiftNIO edge of the SMTP receiver: bytes to `SMTPSession`, its actions to the socket,
/// the Maildir (on the I/O pool), the guard and the event stream.
final class SMTPHandler: ChannelInboundHandler, RemovableChannelHandler, LifecycleHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Bytes of a message kept in memory before they are written to the spool file.
    static let spoolChunk = 256 * 1024
    /// How long a message in flight may take to finish when the server stops.
    static let shutdownGrace: TimeAmount = .seconds(30)

    let server: ServerContext
    var session: SMTPSession
    /// Admission, registry, events, writing and closing (shared with IMAP and POP3).
    let life: ConnectionLifecycle
    var timer: Scheduled<Void>?
    /// Bounds the time spent outside a message (`Config.SMTP.sessionTimeout`).
    var sessionTimer: Scheduled<Void>?

    // Message in progress.
    var envelope: MessageEnvelope?
    var pending: [UInt8] = []
    var spool = SpoolBox()
    var io: EventLoopFuture<Void>?
    var subject: String?
    var headerPeek: [UInt8] = []
    /// What the end-of-DATA checks found for the message being stored (for its `delivered` event).
    var checkOutcome: CheckOutcome?

    /// `admitted`: the guard has already let this connection in (when it was accepted);
    /// otherwise `begin` asks.
    init(server: ServerContext, info: ConnectionInfo, admitted: Bool = false) {
        self.server = server
        self.life = ConnectionLifecycle(server: server, info: info, admitted: admitted)
        self.session = SMTPSession(settings: server.smtpSettings, directory: server.directory, quotas: server.quotas,
                                   remoteAddress: info.remoteAddress, now: server.clock())
    }

    /// The connection is open and admitted (`LifecycleHandler`).
    func start(_ context: ChannelHandlerContext) {
        guard server.gate.hasSlowChecks(.smtp) else {
            greet(context)
            return
        }
        // DNSBL before the greeting; input that arrives meanwhile waits in the session's buffer.
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let gate = server.gate, address = info.remoteAddress
        let promise = context.eventLoop.makePromise(of: GateRefusal?.self)
        promise.completeWithTask { await gate.slowChecks(remoteAddress: address, service: .smtp) }
        promise.futureResult.whenSuccess { refusal in
            let (h, ctx) = bound.value
            guard ctx.channel.isActive, !h.closing else { return }
            if let refusal {
                h.timer?.cancel()
                h.life.refuse(refusal, ctx)
            } else {
                h.greet(ctx)
            }
        }
    }

    private func greet(_ context: ChannelHandlerContext) {
        run(session.start(now: server.clock()), context)
        flushIfNeeded(context)
        armTimer(context)
        armSessionTimer(context)
        markIdle()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        sessionTimer?.cancel()
        if envelope != nil { discard() }
        life.closed()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buf = unwrapInboundIn(data)
        life.bytesIn += UInt64(buf.readableBytes)
        guard !closing else { return }
        run(session.receive(buf.readableBytesView, now: server.clock()), context)
        // A command line must be complete within the timeout from its first byte: input that
        // completes no line does not restart the timer (a trickle of one byte at a time
        // cannot keep the connection). Inside a message every data block does (RFC 5321 §4.5.3.2).
        if session.isInMessage || buf.readableBytesView.contains(UInt8(ascii: "\n")) { armTimer(context) }
        markIdle()
    }

    /// Outside a message the connection may be closed to make room on a full server; the one
    /// silent for longest goes first.
    private func markIdle() {
        life.setIdle(since: session.isInMessage || closing ? nil : server.clock())
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            let version = tlsVersionText(context)
            info.tls = true
            run(session.tlsEstablished(TLSInfo(version: version, cipher: ""), now: server.clock()), context)
            flushIfNeeded(context)
            armTimer(context)
        } else if let request = ConnectionLifecycle.closeRequest(event) {
            guard !closing else { return }
            if envelope != nil { discard() }
            timer?.cancel()
            life.close(for: request, context)
        } else if event is ServerShutdown {
            run(session.shutdown(now: server.clock()), context)
            flushIfNeeded(context)
            if !session.isClosed {
                // A message is in flight: give it a grace period, then 421.
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: Self.shutdownGrace) {
                    let (h, ctx) = bound.value
                    h.run(h.session.abort(now: h.server.clock()), ctx)
                    h.flushIfNeeded(ctx)
                }
            }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if envelope != nil { discard() }
        life.fail(error, context)
    }

    private func tlsVersionText(_ context: ChannelHandlerContext) -> String {
        guard let v = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).tlsVersion else { return "TLS" }
        switch v {
        case .tlsv1: return "TLSv1.0"
        case .tlsv11: return "TLSv1.1"
        case .tlsv12: return "TLSv1.2"
        case .tlsv13: return "TLSv1.3"
        }
    }

    // MARK: Actions

    func run(_ actions: [SMTPAction], _ context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case .send(let reply):
                write(context, reply)
            case .startTLS:
                startTLS(context)
            case .openMessage(let env):
                envelope = env
                pending = env.traceHeaders
                pending.reserveCapacity(8192)
                headerPeek = []
                subject = nil
            case .writeMessage(let bytes):
                if headerPeek.count < 16384 { headerPeek.append(contentsOf: bytes.prefix(16384 - headerPeek.count)) }
                pending.append(contentsOf: bytes)
                if pending.count >= Self.spoolChunk { spoolPending(commit: false, context) }
            case .commitMessage:
                if !commitAfterChecks(context) { spoolPending(commit: true, context) }
            case .discardMessage:
                discard()
                armSessionTimer(context)
            case .offence(let o, let evidence):
                server.gate.offence(o, remoteAddress: info.remoteAddress, service: .smtp, connection: info.id, evidence: evidence)
            case .command(let verb, let code):
                server.hub.publish(.command(id: info.id, service: .smtp, remoteAddress: info.remoteAddress, verb: verb, replyCode: code))
                server.hub.publish(.connectionUpdated(id: info.id, user: nil, state: verb, bytesIn: life.bytesIn, bytesOut: life.bytesOut))
            case .rejected(let rule, let reason, let sender, let recipient):
                server.hub.publish(.rejected(Rejection(connection: info.id, service: .smtp, remoteAddress: info.remoteAddress,
                                                       rule: rule, reason: reason, sender: sender, recipient: recipient)))
            case .close:
                closeAfterFlush(context)
            }
        }
    }

    func write(_ context: ChannelHandlerContext, _ reply: SMTPReply) {
        life.write(context, string: reply.encoded)
    }

    func flushIfNeeded(_ context: ChannelHandlerContext) {
        life.flushIfNeeded(context)
    }

    func closeAfterFlush(_ context: ChannelHandlerContext) {
        timer?.cancel()
        sessionTimer?.cancel()
        life.closeAfterFlush(context)
    }

    /// Outside a message the session has `sessionTimeout` left, from the greeting and again
    /// after each message; at the end it is closed as a timeout. A message under way when
    /// the time is up finishes first (the timer is armed again after it).
    func armSessionTimer(_ context: ChannelHandlerContext) {
        sessionTimer?.cancel()
        guard !session.isClosed, !closing else { return }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        sessionTimer = context.eventLoop.scheduleTask(in: .milliseconds(Int64(server.config.smtp.sessionTimeout * 1000))) {
            let (h, ctx) = bound.value
            guard !h.closing, !h.session.isInMessage else { return }
            h.server.hub.publish(.log(level: .info, message: "smtp \(h.info.remoteAddress) \(h.info.id): no message within the session limit"))
            h.run(h.session.timedOut(now: h.server.clock()), ctx)
            h.flushIfNeeded(ctx)
        }
    }

    func armTimer(_ context: ChannelHandlerContext) {
        timer?.cancel()
        guard !session.isClosed else { return }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: .milliseconds(Int64(session.currentTimeout * 1000))) {
            let (h, ctx) = bound.value
            h.run(h.session.timedOut(now: h.server.clock()), ctx)
            h.flushIfNeeded(ctx)
        }
    }

    private func startTLS(_ context: ChannelHandlerContext) {
        guard let tls = server.tls else { return }
        flushIfNeeded(context)
        do {
            try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
        } catch {
            context.close(promise: nil)
        }
    }

    // MARK: Spooling

    /// Hands the buffered bytes (and, at the end, the commit) to the I/O pool, in order.
    func spoolPending(commit: Bool, folder: String? = nil, _ context: ChannelHandlerContext) {
        guard let env = envelope else { return }
        let bytes = pending
        pending = []
        let box = spool
        let delivery = server.delivery, quotas = server.quotas
        let previous = io ?? context.eventLoop.makeSucceededVoidFuture()
        let step: EventLoopFuture<Int> = previous.flatMap { [pool = server.ioPool, loop = context.eventLoop] in
            pool.runIfActive(eventLoop: loop) { () throws -> Int in
                if box.file == nil { box.file = try delivery.open(owners: env.owners) }
                guard let file = box.file else { throw DeliveryError.io("no spool file") }
                try file.write(bytes)
                if commit {
                    try file.commit(folder: folder)
                    quotas.indexDelivery(owners: env.owners, folder: folder)
                }
                return file.size
            }
        }
        io = step.map { _ in () }
        guard commit else { return }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        step.whenComplete { result in
            let (h, ctx) = bound.value
            h.finishDelivery(result, env: env, ctx)
        }
    }

    private func finishDelivery(_ result: Result<Int, Error>, env: MessageEnvelope, _ context: ChannelHandlerContext) {
        envelope = nil
        spool = SpoolBox()
        io = nil
        switch result {
        case .success(let size):
            server.hub.publish(.delivered(Delivery(connection: info.id, remoteAddress: info.remoteAddress, sender: env.sender,
                                                   recipients: env.owners, size: size, subject: HeaderPeek.subject(in: headerPeek),
                                                   checks: checkOutcome)))
            run(session.deliveryFinished(.success(env.id), now: server.clock()), context)
        case .failure(let error):
            server.hub.publish(.log(level: .error, message: "delivery of \(env.id) for \(env.owners.joined(separator: ", ")) failed: \(error)"))
            if StorageWatch.isDiskFull(error) { server.storage.check() }
            run(session.deliveryFinished(.failure(.tempFailure), now: server.clock()), context)
        }
        headerPeek = []
        checkOutcome = nil
        flushIfNeeded(context)
        armTimer(context)
        armSessionTimer(context)
        markIdle()
    }

    func discard() {
        let box = spool
        let previous = io
        envelope = nil
        pending = []
        spool = SpoolBox()
        io = nil
        checkOutcome = nil
        guard let previous else {
            box.file?.abort()
            return
        }
        let pool = server.ioPool
        previous.whenComplete { _ in
            pool.submit { _ in box.file?.abort() }
        }
    }
}
