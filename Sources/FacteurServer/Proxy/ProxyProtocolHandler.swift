import FacteurCore
import FacteurGuard
import Foundation
import NIOCore
import FacteurNet

/// Reads a PROXY protocol v1/v2 header (haproxy's proxy-protocol.txt) at the start of a
/// connection from a trusted proxy, then installs the service handler with the real client
/// address, so that every rule (bans, countries, limits) sees the client, not the proxy.
final class ProxyProtocolHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// The header must arrive within this time and this many bytes (v2 allows up to 16 + 65535;
    /// we accept addresses and a few TLVs only).
    static let timeout: TimeAmount = .seconds(5)
    static let maxHeader = 4096

    let trusted: [IPNetwork]
    var info: ConnectionInfo
    let install: (any Channel, ConnectionInfo) throws -> Void
    let hub: EventHub
    var buffer: ByteBuffer?
    var timer: Scheduled<Void>?

    init(trusted: [IPNetwork], info: ConnectionInfo, hub: EventHub,
         install: @escaping (any Channel, ConnectionInfo) throws -> Void) {
        self.trusted = trusted; self.info = info; self.hub = hub; self.install = install
    }

    func channelActive(context: ChannelHandlerContext) {
        // Only connections from a trusted proxy may carry a header; anyone else is refused.
        guard let peer = IPAddress(info.remoteAddress), trusted.contains(where: { $0.contains(peer) }) else {
            hub.publish(.rejected(Rejection(connection: info.id, service: info.service, remoteAddress: info.remoteAddress,
                                            rule: "proxy", reason: "connection to a PROXY-protocol listener from an untrusted address")))
            context.close(promise: nil)
            return
        }
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: Self.timeout) { channel.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffer == nil { buffer = incoming } else { buffer!.writeBuffer(&incoming) }
        guard let buf = buffer else { return }
        switch ProxyHeaderParser.parse(buf.readableBytesView) {
        case .incomplete:
            if buf.readableBytes > Self.maxHeader { fail(context, "PROXY header too long") }
        case .invalid(let why):
            fail(context, "bad PROXY header: \(why)")
        case .parsed(let header):
            timer?.cancel()
            var rest = buf
            rest.moveReaderIndex(forwardBy: header.length)
            buffer = nil
            if header.command == .proxy, let src = header.source {
                info.remoteAddress = src.address.description
                info.remotePort = Int(src.port)
            }
            do {
                try install(context.channel, info)
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
                if rest.readableBytes > 0 { context.fireChannelRead(NIOAny(rest)) }
            } catch {
                context.close(promise: nil)
            }
        }
    }

    private func fail(_ context: ChannelHandlerContext, _ why: String) {
        hub.publish(.rejected(Rejection(connection: info.id, service: info.service, remoteAddress: info.remoteAddress,
                                        rule: "proxy", reason: why)))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        context.fireChannelInactive()
    }
}
