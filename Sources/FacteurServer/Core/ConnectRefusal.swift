import FacteurCore
import Foundation
import NIOCore
import NIOTLS
import Synchronization

/// A connection the guard refuses before the greeting: what the client is told, one line per
/// protocol (SMTP 554, RFC 5321 §3.1; IMAP untagged BYE, RFC 9051 §7.1.5; POP3 -ERR, RFC 1939 §4),
/// and the event. The protocol handlers and the accept-time refusal both use it, so the wording
/// is the same whichever refuses.
enum ConnectRefusal {
    /// Refusals that end when other connections close: a sending server must retry, so they
    /// are temporary (421 4.7.0, RFC 5321 §3.8); a 554 would make it bounce the mail.
    static let capacityRules: Set<String> = ["total-connections", "per-address-connections"]

    static func smtpReply(_ refusal: GateRefusal) -> SMTPReply {
        if capacityRules.contains(refusal.rule) {
            return SMTPReply(421, "4.7.0", "Too busy, try again later: \(refusal.text)")
        }
        return SMTPReply(554, "5.7.1", "Access denied: \(refusal.text)")
    }

    /// What an open connection is told when it is closed from outside (a ban, the
    /// administrator, a full server), before the server closes it.
    static func goodbye(_ service: ServiceKind, _ request: CloseRequest) -> String {
        let text: String
        switch request {
        case .administrator: text = "Connection closed by the administrator"
        case .banned(let refusal): text = "Access denied: \(refusal.text)"
        case .makeRoom: text = "Server busy, closing idle connection; try again later"
        }
        switch service {
        case .smtp:
            if case .banned = request { return SMTPReply(421, "4.7.1", text).encoded }
            return SMTPReply(421, "4.7.0", text).encoded
        case .imap: return "* BYE \(text)\r\n"
        case .pop3:
            if case .banned = request { return "-ERR \(text)\r\n" }
            return "-ERR [SYS/TEMP] \(text.prefix(1).lowercased() + text.dropFirst())\r\n"
        }
    }

    static func text(_ service: ServiceKind, _ refusal: GateRefusal) -> String {
        switch service {
        case .smtp: return smtpReply(refusal).encoded
        case .imap: return "* BYE Access denied: \(refusal.text)\r\n"
        case .pop3: return "-ERR Access denied: \(refusal.text)\r\n"
        }
    }

    static func event(_ info: ConnectionInfo, _ refusal: GateRefusal) -> ServerEvent.Kind {
        .rejected(Rejection(connection: info.id, service: info.service, remoteAddress: info.remoteAddress,
                            rule: refusal.rule, reason: refusal.reason))
    }
}

/// Refusal lines already encoded, per service and refusal: a flood from one ban formats its
/// reason and the end of the ban (an RFC 5322 date) once, not once per connection.
final class RefusalReplies: Sendable {
    private struct Key: Hashable {
        var service: ServiceKind
        var refusal: GateRefusal
    }

    /// Distinct refusals kept; past this the cache starts again (a ban's text changes when it is
    /// extended, so old entries are never needed again).
    static let capacity = 256

    private let cache = Mutex<[Key: ByteBuffer]>([:])

    func bytes(_ service: ServiceKind, _ refusal: GateRefusal) -> ByteBuffer {
        let key = Key(service: service, refusal: refusal)
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let bytes = ByteBuffer(string: ConnectRefusal.text(service, refusal))
        cache.withLock { c in
            if c.count >= Self.capacity { c.removeAll(keepingCapacity: true) }
            c[key] = bytes
        }
        return bytes
    }
}

/// The whole pipeline of a connection refused when it is accepted: no protocol handler, codec,
/// session or registry entry is built. Sends the preformatted refusal, then closes once it is
/// written (an SMTP client must see the 554, so no reset). Input is dropped. Behind implicit
/// TLS the line is sent once the handshake is done; a client that does not finish it within
/// `handshakeTimeout` is dropped.
final class RefusalHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let handshakeTimeout: TimeAmount = .seconds(10)

    private let reply: ByteBuffer
    private let afterHandshake: Bool
    private var sent = false
    private var timer: Scheduled<Void>?

    init(reply: ByteBuffer, afterTLSHandshake: Bool = false) {
        self.reply = reply
        self.afterHandshake = afterTLSHandshake
    }

    /// Added to an already active channel (after a PROXY header was read): refuse now.
    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls { send(context) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard afterHandshake else { return send(context) }
        guard timer == nil else { return }
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: Self.handshakeTimeout) { channel.close(promise: nil) }
    }

    private func send(_ context: ChannelHandlerContext) {
        guard !sent else { return }
        sent = true
        timer?.cancel()
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(reply)).whenComplete { _ in channel.close(promise: nil) }
    }
}
