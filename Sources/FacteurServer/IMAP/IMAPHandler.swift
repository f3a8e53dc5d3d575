import FacteurCore
import FacteurIMAPCore
import FacteurMailStore
import Foundation
import NIOCore
import NIOSSL
import NIOTLS

/// The SwiftNIO edge of the IMAP server, one per connection: bytes into `IMAPFramer`, frames
/// into `IMAPSession` (whose store calls run on the I/O pool), its actions out to the socket,
/// the guard and the event stream.
///
/// The session is a value that is "checked out" to a task while it works on one frame and
/// handed back on the event loop with the actions; frames wait in the framer meanwhile, so a
/// session never sees two events at once. Because frames are taken from the framer only when
/// the session is idle, bytes that follow STARTTLS are still in the framer when its OK is sent
/// and `framer.reset()` discards them (RFC 3501 §6.2.1, no command injection).
final class IMAPHandler: ChannelDuplexHandler, RemovableChannelHandler, LifecycleHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let service: IMAPService
    var server: ServerContext { service.context }
    /// Admission, registry, events, writing and closing (shared with SMTP and POP3).
    let life: ConnectionLifecycle
    let authenticator: IMAPUserAuthenticator
    var framer = IMAPFramer()
    /// nil while a task works on it.
    var session: IMAPSession?
    var tracker = IMAPCommandTracker()

    /// The channel is closed: the session is ended, not handed frames.
    var inactive = false
    /// STARTTLS answered, handshake not finished: no frame is read.
    var awaitingTLS = false
    /// In IDLE (RFC 2177): store changes are reported at once, and the IDLE timeout applies.
    var idling = false
    /// The selected mailbox changed in the store since the session last looked.
    var changePending = false
    var subscription: MailboxChanges.Subscription?
    var subscribedMailbox: String?
    /// The owner once logged in.
    var user: String?
    var failedLogins = 0

    var timer: Scheduled<Void>?
    /// Ends a connection that has not logged in within `IMAPServerLimits.loginWithin`.
    var loginTimer: Scheduled<Void>?
    var heldRead = false

    /// `admitted`: the guard has already let this connection in (when it was accepted);
    /// otherwise `begin` asks.
    init(service: IMAPService, info: ConnectionInfo, admitted: Bool = false) {
        self.service = service
        self.life = ConnectionLifecycle(server: service.context, info: info, admitted: admitted)
        self.authenticator = IMAPUserAuthenticator(service: service, remoteAddress: info.remoteAddress, connection: info.id)
    }

    var busy: Bool { session == nil }

    // MARK: Lifecycle

    /// The connection is open and admitted (`LifecycleHandler`).
    func start(_ context: ChannelHandlerContext) {
        let s = IMAPSession(configuration: service.sessionConfiguration(remoteAddress: info.remoteAddress, tlsActive: info.tls),
                            authenticator: authenticator, now: server.clock)
        let greeting = s.greeting()
        session = s
        run(greeting, context)
        flushIfNeeded(context)
        armTimer(context)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        loginTimer = context.eventLoop.scheduleTask(in: IMAPServerLimits.loginWithin) {
            let (h, ctx) = bound.value
            guard !h.closing, h.user == nil else { return }
            h.bye(ctx, "Autologout: not logged in in time")
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        loginTimer?.cancel()
        inactive = true
        life.closed()
        endSession(context)
        unsubscribe()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buf = unwrapInboundIn(data)
        life.bytesIn += UInt64(buf.readableBytes)
        guard !closing, life.phase == .open else { return }
        framer.feed(buf.readableBytesView)
        // Before login, only complete commands restart the timer (`dispatch`); bytes trickled
        // into an unfinished line do not.
        if user != nil { armTimer(context) }
        pump(context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context)
        context.fireChannelReadComplete()
    }

    /// Back-pressure: stop reading while the session is behind by more than the high-water mark.
    func read(context: ChannelHandlerContext) {
        if busy && framer.bufferedByteCount >= IMAPServerLimits.readBufferHighWater {
            heldRead = true
        } else {
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            guard awaitingTLS else { return }
            awaitingTLS = false
            info.tls = true
            session?.tlsEstablished()
            publishState(verb: "STARTTLS")
            armTimer(context)
            pump(context)
        } else if let request = ConnectionLifecycle.closeRequest(event) {
            timer?.cancel()
            life.close(for: request, context)
        } else if event is ServerShutdown {
            guard !closing else { return }
            bye(context, "Server shutting down")
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let error = error as? DeflateError { compressionFailed(context, error); return }
        life.fail(error, context)
    }

    // MARK: Frames to the session

    /// Hands frames to the session one at a time, while it is not working on one.
    func pump(_ context: ChannelHandlerContext) {
        while !busy && !closing && !awaitingTLS {
            if changePending {
                changePending = false
                if idling {
                    dispatch(context, fromClient: false) { await $0.mailboxChanged() }
                    return
                }
            }
            let frame: IMAPFrame
            do {
                frame = try framer.next()
            } catch {
                if error.isFatal {
                    server.gate.offence(.overlongLine, remoteAddress: info.remoteAddress, service: .imap, connection: info.id,
                                        evidence: ["IMAP: \(error.reason)"])
                }
                dispatch(context, fromClient: true) { await $0.framingFailed(error) }
                return
            }
            switch frame {
            case .incomplete:
                releaseHeldRead(context)
                return
            case .command(let bytes):
                tracker.commandReceived(bytes)
            case .literalStart(let prefix, _, _):
                tracker.commandReceived(prefix)
            case .literalEnd:
                continue
            default:
                break
            }
            dispatch(context, fromClient: true) { await $0.receive(frame) }
        }
        releaseHeldRead(context)
    }

    /// Reads are held only while the session is busy (a partial command larger than the
    /// high-water mark must still be read to completion).
    private func releaseHeldRead(_ context: ChannelHandlerContext) {
        guard heldRead, !busy else { return }
        heldRead = false
        context.read()
    }

    /// Runs `work` on the session off the event loop, then its actions on the event loop.
    /// The inactivity timer restarts after the client's frames only: what the server sends on
    /// its own (IDLE updates) does not keep a silent client logged in.
    private func dispatch(_ context: ChannelHandlerContext, fromClient: Bool,
                          _ work: @escaping @Sendable (inout IMAPSession) async -> [IMAPSessionAction]) {
        guard let checkedOut = session else { return }
        session = nil
        let promise = context.eventLoop.makePromise(of: (IMAPSession, [IMAPSessionAction]).self)
        promise.completeWithTask {
            var s = checkedOut
            let actions = await work(&s)
            return (s, actions)
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        promise.futureResult.whenSuccess { result in
            let (h, ctx) = bound.value
            h.session = result.0
            guard !h.closing else {
                if h.inactive { h.endSession(ctx) }
                return
            }
            h.run(result.1, ctx)
            h.followSelection(ctx)
            h.flushIfNeeded(ctx)
            if fromClient { h.armTimer(ctx) }
            h.pump(ctx)
        }
    }

    /// Once the channel is gone, the session lets storage discard what it holds (the spool of
    /// an APPEND cut off mid-literal); when a task has the session, this runs when it returns.
    private func endSession(_ context: ChannelHandlerContext) {
        guard let s = session else { return }
        session = nil
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.completeWithTask {
            var ended = s
            await ended.connectionClosed()
        }
    }

    // MARK: Writing

    func write(_ context: ChannelHandlerContext, _ bytes: [UInt8]) {
        life.write(context, bytes: bytes)
    }

    func flushIfNeeded(_ context: ChannelHandlerContext) {
        life.flushIfNeeded(context)
    }

    /// `* BYE reason`, then close (RFC 3501 §7.1.5).
    func bye(_ context: ChannelHandlerContext, _ reason: String) {
        write(context, Array("* BYE \(reason)\r\n".utf8))
        closeAfterFlush(context)
    }

    func closeAfterFlush(_ context: ChannelHandlerContext) {
        timer?.cancel()
        loginTimer?.cancel()
        life.closeAfterFlush(context)
    }

    func armTimer(_ context: ChannelHandlerContext) {
        timer?.cancel()
        guard !closing else { return }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let limit = idling ? IMAPServerLimits.idleLimit : IMAPServerLimits.autologout
        timer = context.eventLoop.scheduleTask(in: limit) {
            let (h, ctx) = bound.value
            guard !h.closing else { return }
            h.bye(ctx, "Autologout: no command for too long")
        }
    }
}
