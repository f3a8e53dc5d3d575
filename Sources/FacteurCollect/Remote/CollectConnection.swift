import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// One connection to a provider as chunks of bytes in and out: TCP, implicit TLS or a later
/// STARTTLS upgrade, a connect timeout and a read timeout. Used by one task at a time.
final class CollectConnection {
    private let channel: any Channel
    private var inbound: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
    private let tls: NIOSSLContext?
    private let host: String

    private init(channel: any Channel, inbound: AsyncThrowingStream<[UInt8], any Error>, tls: NIOSSLContext?, host: String) {
        self.channel = channel
        self.inbound = inbound.makeAsyncIterator()
        self.tls = tls
        self.host = host
    }

    deinit { channel.close(promise: nil) }

    /// Connects; with `.implicitTLS` the handshake is complete when this returns.
    static func connect(host: String, port: Int, security: CollectionSecurity, verify: Bool,
                        group: any EventLoopGroup, limits: CollectLimits) async throws(CollectError) -> CollectConnection {
        let context: NIOSSLContext? = security == .none ? nil : try CollectTLS.context(verify: verify)
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let handshake = group.any().makePromise(of: Void.self)
        let implicit = security == .implicitTLS ? context : nil
        let serverName = CollectTLS.serverName(host)
        let readTimeout = TimeAmount.milliseconds(Int64(limits.readTimeout * 1000))
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(Int64(limits.connectTimeout * 1000)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let implicit {
                        try sync.addHandler(NIOSSLClientHandler(context: implicit, serverHostname: serverName))
                        try sync.addHandler(TLSHandshakeWatcher(promise: handshake))
                    }
                    try sync.addHandler(IdleStateHandler(readTimeout: readTimeout))
                    try sync.addHandler(CollectStreamHandler(continuation: continuation))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            handshake.fail(error)
            continuation.finish()
            throw .connection("cannot connect to \(host):\(port): \(error)")
        }
        if implicit == nil { handshake.succeed() }
        do { try await handshake.futureResult.get() }
        catch {
            channel.close(promise: nil)
            throw .tls("handshake with \(host):\(port) failed: \(CollectTLS.describe(error))")
        }
        return CollectConnection(channel: channel, inbound: stream, tls: context, host: host)
    }

    func send(_ bytes: [UInt8]) async throws(CollectError) {
        do { try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get() }
        catch { throw .connection("write failed: \(error)") }
    }

    /// The next chunk from the provider. The end of the connection is an error: every caller
    /// is waiting for a response when it reads.
    func receive() async throws(CollectError) -> [UInt8] {
        let chunk: [UInt8]?
        do { chunk = try await inbound.next() }
        catch let error as CollectError { throw error }
        catch { throw .connection("\(host): \(CollectTLS.describe(error))") }
        guard let chunk else { throw .connection("closed by \(host) in the middle of a response") }
        return chunk
    }

    /// The STARTTLS / STLS upgrade after the provider's go-ahead (RFC 3207-style, RFC 2595 §4).
    func startTLS() async throws(CollectError) {
        guard let tls else { throw .tls("STARTTLS without a TLS context") }
        let promise = channel.eventLoop.makePromise(of: Void.self)
        let name = CollectTLS.serverName(host)
        let channel = self.channel
        do {
            try await channel.eventLoop.submit {
                let sync = channel.pipeline.syncOperations
                try sync.addHandler(TLSHandshakeWatcher(promise: promise), position: .first)
                try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: name), position: .first)
            }.get()
        } catch {
            promise.fail(error)
            throw .tls("cannot start TLS: \(error)")
        }
        do { try await promise.futureResult.get() }
        catch {
            channel.close(promise: nil)
            throw .tls("handshake with \(host) failed: \(CollectTLS.describe(error))")
        }
    }

    func close() async {
        try? await channel.close().get()
    }
}
