import FacteurCore
import FacteurIMAPCore
import NIOCore

/// COMPRESS=DEFLATE (RFC 4978) at the edge: the deflate handlers go in front of this handler,
/// behind TLS, once the tagged OK is on its way uncompressed.
extension IMAPHandler {
    func startCompression(_ context: ChannelHandlerContext) {
        flushIfNeeded(context)
        do {
            let inflater = try IMAPInflateHandler()
            let deflater = try IMAPDeflateHandler()
            let pipeline = context.pipeline.syncOperations
            try pipeline.addHandler(inflater, position: .before(self))
            try pipeline.addHandler(deflater, position: .before(self))
            // What the client pipelined behind COMPRESS is already compressed.
            let pipelined = framer.takeUnframed()
            if !pipelined.isEmpty {
                try inflater.inflate(pipelined) { framer.feed($0) }
            }
        } catch let error as DeflateError {
            compressionFailed(context, error)
        } catch {
            closing = true
            context.close(promise: nil)
        }
    }

    /// Corrupt or bomb-like compressed input: a clear BYE (compressed, as the client expects)
    /// and the connection ends; no other connection is touched.
    func compressionFailed(_ context: ChannelHandlerContext, _ error: DeflateError) {
        guard !closing else { return }
        server.hub.publish(.log(level: .info, message: "imap \(info.remoteAddress) \(info.id): COMPRESS: \(error)"))
        bye(context, error.description)
    }
}
