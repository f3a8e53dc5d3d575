import FacteurCore
import Foundation
import NIOCore
import NIOPosix

/// The admin control socket: a Unix socket, created with owner-only permissions (0600, in a
/// data folder that is 0700), one JSON request per line, one JSON response per line.
final class ControlHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    static let maxRequest = 64 * 1024

    let commands: any ServerCommands
    var buffer = ByteBuffer()

    init(commands: any ServerCommands) { self.commands = commands }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        while let nl = buffer.readableBytesView.firstIndex(of: 10) {
            let length = nl - buffer.readerIndex
            let line = buffer.readBytes(length: length) ?? []
            buffer.moveReaderIndex(forwardBy: 1)
            let response: ControlResponse
            if let req = try? JSONDecoder().decode(ControlRequest.self, from: Data(line)) {
                response = commands.handle(req)
            } else {
                response = ControlResponse(ok: false, message: "malformed request")
            }
            var out = (try? JSONEncoder().encode(response)) ?? Data("{\"ok\":false,\"message\":\"encoding\"}".utf8)
            out.append(10)
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: out)), promise: nil)
        }
        if buffer.readableBytes > Self.maxRequest { context.close(promise: nil) }
        buffer.discardReadBytes()
    }
}

enum ControlServer {
    static func bind(path: String, group: any EventLoopGroup, commands: any ServerCommands) throws -> any Channel {
        // A stale socket from a crash would make bind fail; a live one means another server runs.
        if FileManager.default.fileExists(atPath: path) {
            if (try? ControlClient(path: path).send(ControlRequest(command: "status"), timeout: 2)) != nil {
                throw ControlSocketInUse(path: path)
            }
            unlink(path)
        }
        let old = umask(0o177)
        defer { umask(old) }
        return try ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ControlHandler(commands: commands))
                }
            }
            .bind(unixDomainSocketPath: path).wait()
    }
}

public struct ControlSocketInUse: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "another Facteur server is already running with this data folder (control socket \(path))" }
}
