import FacteurIMAPCore
import NIOCore

/// COMPRESS=DEFLATE (RFC 4978) on the wire: inserted before `IMAPHandler` (after TLS, if any)
/// once the tagged OK of COMPRESS has been written uncompressed. Incoming octets are inflated
/// here; a stream that inflates beyond `IMAPLimits.maxInflateRatio` is refused with
/// `DeflateError.ratioExceeded` (the IMAP handler says BYE and closes).
final class IMAPInflateHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let stream: DeflateStream
    private var failed = false

    init() throws {
        stream = try DeflateStream(.decompress)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var input = unwrapInboundIn(data)
        guard !failed else { return }
        do {
            try inflate(input.readableBytesView) { chunk in
                context.fireChannelRead(wrapInboundOut(context.channel.allocator.buffer(bytes: chunk)))
            }
        } catch {
            failed = true
            context.fireErrorCaught(error)
        }
        input.clear()
    }

    /// Inflates octets received before the handler was in place (pipelined after COMPRESS).
    func inflate<C: Collection>(_ bytes: C, _ deliver: ([UInt8]) -> Void) throws(DeflateError) where C.Element == UInt8 {
        let copy = Array(bytes)
        var failure: DeflateError?
        copy.withUnsafeBytes { raw in
            do throws(DeflateError) {
                try stream.decompress(raw, chunkSize: IMAPLimits.inflateChunkSize, ratio: IMAPLimits.maxInflateRatio,
                                      allowance: IMAPLimits.inflateAllowance, deliver)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }
}

/// Compresses what the IMAP handler writes; each flush ends with Z_SYNC_FLUSH so the client
/// can decode every response as soon as it arrives (RFC 4978 §6).
final class IMAPDeflateHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let stream: DeflateStream
    private var pending: [UInt8] = []
    /// Promises of writes whose octets are still in `pending` or zlib: they complete with the
    /// write that carries them.
    private var waiting: [EventLoopPromise<Void>] = []
    /// Octets before and after compression (for the byte counts in BENCHMARKS.md and logs).
    private(set) var plainBytes = 0

    init() throws {
        stream = try DeflateStream(.compress)
    }

    var compressedBytes: Int { stream.totalOut }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        plainBytes += buffer.readableBytes
        buffer.withUnsafeReadableBytes { stream.compress($0, flush: false, into: &pending) }
        if let promise { waiting.append(promise) }
        if pending.count >= 64 * 1024 { emit(context) }
    }

    func flush(context: ChannelHandlerContext) {
        [UInt8]().withUnsafeBytes { stream.compress($0, flush: true, into: &pending) }
        emit(context)
        context.flush()
    }

    private func emit(_ context: ChannelHandlerContext) {
        guard !pending.isEmpty || !waiting.isEmpty else { return }
        var promise: EventLoopPromise<Void>?
        if !waiting.isEmpty {
            let carrier = context.eventLoop.makePromise(of: Void.self)
            for caller in waiting { carrier.futureResult.cascade(to: caller) }
            waiting.removeAll()
            promise = carrier
        }
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: pending)), promise: promise)
        pending.removeAll(keepingCapacity: true)
    }
}
