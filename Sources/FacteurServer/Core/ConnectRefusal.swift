import FacteurCore
import Foundation
import NIOCore
import Synchronization

/// A connection the guard refuses before the greeting: what the client is told, one line per
/// protocol (SMTP 554, RFC 5321 §3.1; IMAP untagged BYE, RFC 9051 §7.1.5; POP3 -ERR, RFC 1939 §4),
/// and the event. The protocol handlers and the accept-time refusal both use it, so the wording
/// is the same whichever refuses.
enum ConnectRefusal {
    static func smtpReply(_ refusal: GateRefusal) -> SMTPReply {
        SMTPReply(554, "5.7.1", "Access denied: \(refusal.text)")
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
/// written (an SMTP client must see the 554, so no reset). Input is dropped.
final class RefusalHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let reply: ByteBuffer
    private var sent = false

    init(reply: ByteBuffer) { self.reply = reply }

    /// Added to an already active channel (after a PROXY header was read): refuse now.
    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { send(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        send(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func send(_ context: ChannelHandlerContext) {
        guard !sent else { return }
        sent = true
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(reply)).whenComplete { _ in channel.close(promise: nil) }
    }
}
