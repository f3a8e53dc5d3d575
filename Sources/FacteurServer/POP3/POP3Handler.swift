import FacteurCore
import FacteurPOP3Core
import FacteurStore
import Foundation
import NIOCore
import NIOSSL
import NIOTLS

/// The SwiftNIO edge of the POP3 server (RFC 1939; CAPA RFC 2449; STLS RFC 2595; AUTH PLAIN
/// RFC 5034): bytes through `LineFramer` to `POP3Session`, its actions to the socket, the maildrop
/// (on the I/O pool), the guard and the event stream.
///
/// While an action runs asynchronously (a login being verified, a message being sent, deletions
/// being committed) no line reaches the session and no more bytes are read from the socket:
/// pipelined commands (RFC 2449 §6.6) wait in the framer and are answered in order.
final class POP3Handler: ChannelDuplexHandler, RemovableChannelHandler, LifecycleHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let server: ServerContext
    let services: POP3Services
    var session: POP3Session
    var framer: LineFramer
    /// Admission, registry, events, writing and closing (shared with SMTP and IMAP).
    let life: ConnectionLifecycle
    var timer: Scheduled<Void>?
    /// Ends a connection that has not logged in within `POP3EdgeLimits.loginWithin`.
    var loginTimer: Scheduled<Void>?
    /// False once the channel is inactive; asynchronous completions check it.
    var active = false

    /// An asynchronous action is running: lines wait in the framer and reads are held back.
    var busy = false
    var readPending = false
    /// Actions that followed the asynchronous one in the same list.
    var deferred: [POP3Action] = []
    /// The command whose reply the asynchronous action produces, for the event stream.
    var pendingVerb: String?
    var committing = false
    var shutdownRequested = false

    /// The logged-in owner ("alice@example.test"); set while this connection holds the maildrop lock.
    var owner: String?
    var entries: [POP3MaildropEntry] = []
    /// The message being sent (RETR / TOP), while chunks of it are still to come.
    var reader: MessageFileReader?

    /// `admitted`: the guard has already let this connection in (when it was accepted);
    /// otherwise `begin` asks.
    init(server: ServerContext, info: ConnectionInfo, admitted: Bool = false) {
        self.server = server
        self.services = server.pop3
        self.life = ConnectionLifecycle(server: server, info: info, admitted: admitted)
        let configuration = POP3SessionConfiguration(
            hostname: server.config.hostname, isTLS: info.tls, tlsAvailable: server.tls != nil,
            plaintextLoginAllowed: server.pop3.plaintext.allowsPlaintext(from: info.remoteAddress),
            digestKey: server.pop3.digestKey, limits: server.pop3.limits)
        self.session = POP3Session(configuration: configuration)
        self.framer = LineFramer(maximumLineLength: server.pop3.limits.framedLineLength)
    }

    /// Adds the handlers of one accepted connection; an implicit-TLS listener (995, RFC 8314)
    /// puts TLS first.
    static func install(on channel: any Channel, server: ServerContext, info: ConnectionInfo, admitted: Bool = false) throws {
        let pipeline = channel.pipeline.syncOperations
        if info.tls {
            guard let tls = server.tls else { throw ChannelError.operationUnsupported }
            try pipeline.addHandler(NIOSSLServerHandler(context: tls))
        }
        try pipeline.addHandler(POP3Handler(server: server, info: info, admitted: admitted))
    }

    /// RFC 1939 §3: at least 10 minutes (`POP3Limits.idleTimeout`, 600 s unless the server was given other limits).
    var idleTimeout: TimeAmount { .milliseconds(Int64(services.limits.idleTimeout * 1000)) }

    // MARK: Channel events

    /// The connection is open and admitted (`LifecycleHandler`).
    func start(_ context: ChannelHandlerContext) {
        active = true
        run(session.start(), context, verb: nil)
        flushIfNeeded(context)
        armTimer(context)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        loginTimer = context.eventLoop.scheduleTask(in: .milliseconds(Int64(POP3EdgeLimits.loginWithin * 1000))) {
            let (handler, ctx) = bound.value
            guard handler.owner == nil, !handler.busy else { return }
            handler.timedOut(ctx)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        active = false
        timer?.cancel()
        loginTimer?.cancel()
        // Deletions in progress keep the lock until they are done (`finishCommit`).
        if !committing { releaseMaildrop() }
        life.closed()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        life.bytesIn += UInt64(buffer.readableBytes)
        guard !closing else { return }
        framer.append(Array(buffer.readableBytesView))
        // A command line must be complete within the timeout from its first byte: bytes that
        // complete no line do not restart the timer.
        if buffer.readableBytesView.contains(UInt8(ascii: "\n")) { armTimer(context) }
        processInput(context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context)
    }

    /// Holds reads back while an asynchronous action runs (backpressure instead of buffering).
    func read(context: ChannelHandlerContext) {
        if busy { readPending = true } else { context.read() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            info.tls = true
            run(session.tlsEstablished(), context, verb: nil)
            processInput(context)
            armTimer(context)
        } else if let request = ConnectionLifecycle.closeRequest(event) {
            guard !closing else { return }
            // In the middle of a message the status line is out already: just close.
            timer?.cancel()
            if !committing { releaseMaildrop() }
            life.close(for: request, silently: reader != nil, context)
        } else if event is ServerShutdown {
            // A message being sent or deletions being committed finish first (`resume`).
            if busy { shutdownRequested = true } else { shutdownNow(context) }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        timer?.cancel()
        life.fail(error, context)
    }

    // MARK: Input

    /// A bad command as guard evidence: the verb the session read and its own -ERR reply, never
    /// the client's bytes (a mistyped command line may carry a password).
    private func reportBadCommand(_ actions: [POP3Action]) {
        let reply = actions.lazy.compactMap { if case .reply(let text) = $0 { text } else { nil } }.first ?? "-ERR"
        server.gate.offence(.badCommand, remoteAddress: info.remoteAddress, service: .pop3, connection: info.id,
                            evidence: ["POP3 \(session.lastVerb ?? "?"): \(reply)"])
    }

    /// Feeds complete lines to the session until one starts an asynchronous action.
    func processInput(_ context: ChannelHandlerContext) {
        while !busy, !closing, let frame = framer.next() {
            let badBefore = session.badCommands
            switch frame {
            case .line(let line):
                let actions = session.receive(line: line)
                // Protocol abuse feeds the guard as SMTP's does ([guard] bad_commands per session).
                if session.badCommands > badBefore { reportBadCommand(actions) }
                run(actions, context, verb: session.lastVerb)
            case .overflow:
                server.gate.offence(.overlongLine, remoteAddress: info.remoteAddress, service: .pop3, connection: info.id,
                                    evidence: ["POP3 command line over \(services.limits.commandLineLength) octets"])
                run(session.receiveOverflow(), context, verb: nil)
            }
        }
        flushIfNeeded(context)
    }

    /// The asynchronous action is over: its actions, the ones that followed it, then more input.
    func resume(with actions: [POP3Action], _ context: ChannelHandlerContext) {
        busy = false
        let verb = pendingVerb
        pendingVerb = nil
        let rest = deferred
        deferred = []
        run(actions + rest, context, verb: verb)
        guard !busy else {
            flushIfNeeded(context)
            return
        }
        if shutdownRequested { shutdownNow(context) }
        processInput(context)
        armTimer(context)
        if !busy, readPending {
            readPending = false
            context.read()
        }
    }

    // MARK: Output

    func write(_ context: ChannelHandlerContext, _ line: String) {
        var buffer = context.channel.allocator.buffer(capacity: line.utf8.count + 2)
        buffer.writeString(line)
        buffer.writeStaticString("\r\n")
        write(context, buffer: buffer)
    }

    func write(_ context: ChannelHandlerContext, bytes: [UInt8]) {
        write(context, buffer: context.channel.allocator.buffer(bytes: bytes))
    }

    func write(_ context: ChannelHandlerContext, buffer: ByteBuffer) {
        life.write(context, buffer)
    }

    func flushIfNeeded(_ context: ChannelHandlerContext) {
        life.flushIfNeeded(context)
    }

    func closeAfterFlush(_ context: ChannelHandlerContext) {
        closing = true
        timer?.cancel()
        loginTimer?.cancel()
        // No command will run any more: free the maildrop before the client sees the last reply,
        // so that it can log in again at once.
        if !committing { releaseMaildrop() }
        life.closeAfterFlush(context)
    }

    func shutdownNow(_ context: ChannelHandlerContext) {
        guard !closing else { return }
        write(context, "-ERR [SYS/TEMP] server shutting down")
        closeAfterFlush(context)
    }

    /// RFC 1939 §3: the autologout timer, restarted by every read and every chunk of a message sent.
    /// Expiry closes the connection without entering UPDATE, so nothing is deleted.
    func armTimer(_ context: ChannelHandlerContext) {
        timer?.cancel()
        guard !closing else { return }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: idleTimeout) {
            let (handler, ctx) = bound.value
            handler.timedOut(ctx)
        }
    }

    func timedOut(_ context: ChannelHandlerContext) {
        guard !closing else { return }
        server.hub.publish(.log(level: .info, message: "pop3 \(info.remoteAddress) \(info.id): idle timeout"))
        if reader == nil { write(context, POP3Replies.timeout) }
        closeAfterFlush(context)
    }

    func releaseMaildrop() {
        guard let owner else { return }
        services.locks.release(owner, by: info.id)
        self.owner = nil
    }
}
