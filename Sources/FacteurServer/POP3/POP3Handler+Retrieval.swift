import FacteurCore
import FacteurPOP3Core
import NIOCore

/// RETR and TOP (RFC 1939 §7): the message file is read on the I/O pool in chunks of
/// `POP3EdgeLimits.messageChunk`, each chunk CRLF-normalised and byte-stuffed by
/// `POP3MessageEncoder` and written before the next one is read.
extension POP3Handler {
    func sendMessage(_ message: MessageInfo, topLines: Int?, _ context: ChannelHandlerContext) {
        guard message.index >= 1, message.index <= entries.count else {
            messageUnavailable(message, why: "not in the maildrop", context)
            return
        }
        let path = entries[message.index - 1].path
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        server.ioPool.runIfActive(eventLoop: context.eventLoop) {
            try MessageFileReader(path: path)
        }.whenComplete { result in
            let (handler, ctx) = bound.value
            switch result {
            case .success(let reader):
                handler.startStreaming(reader, message, topLines: topLines, ctx)
            case .failure(let error):
                // Removed since the maildrop was opened (by an IMAP client, say).
                handler.messageUnavailable(message, why: "\(error)", ctx)
            }
        }
    }

    private func messageUnavailable(_ message: MessageInfo, why: String, _ context: ChannelHandlerContext) {
        server.hub.publish(.log(level: .info, message: "pop3 \(info.remoteAddress) \(info.id): message \(message.index) (\(message.uid)) unavailable: \(why)"))
        var verb = pendingVerb
        pendingVerb = nil
        write(context, POP3Replies.messageUnavailable)
        report(&verb, status: POP3Replies.messageUnavailable)
        resume(with: [], context)
    }

    private func startStreaming(_ reader: MessageFileReader, _ message: MessageInfo, topLines: Int?,
                                _ context: ChannelHandlerContext) {
        guard active, !closing else {
            reader.close()
            return
        }
        var verb = pendingVerb
        pendingVerb = nil
        let status = POP3Replies.messageFollows(size: message.size)
        write(context, status)
        report(&verb, status: status)
        self.reader = reader
        encoder = POP3MessageEncoder(topLines: topLines)
        readNextChunk(context)
    }

    private func readNextChunk(_ context: ChannelHandlerContext) {
        guard let reader else { return }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        server.ioPool.runIfActive(eventLoop: context.eventLoop) {
            try reader.read(upTo: POP3EdgeLimits.messageChunk)
        }.whenComplete { result in
            let (handler, ctx) = bound.value
            handler.sendChunk(result, ctx)
        }
    }

    private func sendChunk(_ result: Result<[UInt8], Error>, _ context: ChannelHandlerContext) {
        guard reader != nil else { return }
        guard active, !closing else {
            finishStreaming()
            return
        }
        let chunk: [UInt8]
        switch result {
        case .success(let bytes):
            chunk = bytes
        case .failure(let error):
            // The "+OK" is out, so the response cannot be turned into an error: the connection
            // ends without the terminating "." and the client knows the message is incomplete.
            server.hub.publish(.log(level: .error, message: "pop3 \(info.remoteAddress) \(info.id): reading a message: \(error)"))
            finishStreaming()
            closeAfterFlush(context)
            return
        }
        var out = encoder.encode(chunk)
        let done = chunk.isEmpty || encoder.isComplete
        if done { out += encoder.finish() }
        armTimer(context)
        if done {
            finishStreaming()
            write(context, bytes: out)
            resume(with: [], context)
            return
        }
        // The next chunk is read once this one is on the socket: memory stays at one chunk.
        let buffer = context.channel.allocator.buffer(bytes: out)
        bytesOut += UInt64(buffer.readableBytes)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { written in
            let (handler, ctx) = bound.value
            switch written {
            case .success: handler.readNextChunk(ctx)
            case .failure: handler.finishStreaming()
            }
        }
    }

    func finishStreaming() {
        reader?.close()
        reader = nil
    }
}
