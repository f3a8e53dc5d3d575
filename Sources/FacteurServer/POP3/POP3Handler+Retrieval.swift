import FacteurCore
import FacteurPOP3Core
import NIOCore

/// RETR and TOP (RFC 1939 §7): the message file is read and encoded on the I/O pool by
/// `MessageFileReader`. A message smaller than `POP3EdgeLimits.messageChunk` takes one visit to
/// the pool (open, read, CRLF-normalise and byte-stuff, close) and one write; a larger one is sent
/// a chunk at a time, each chunk read only once the previous one is on the socket.
extension POP3Handler {
    /// What the first visit to the pool brings back.
    struct OpenedMessage: Sendable {
        var reader: MessageFileReader
        var first: MessageFileReader.Chunk
        /// Where the file was found when it was no longer at the listed path.
        var movedTo: String?
    }

    func sendMessage(_ message: MessageInfo, topLines: Int?, _ context: ChannelHandlerContext) {
        guard message.index >= 1, message.index <= entries.count else {
            messageUnavailable(message, why: "not in the maildrop", context)
            return
        }
        let entry = entries[message.index - 1]
        let owner = owner, maildrops = services.maildrops, allocator = context.channel.allocator
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        server.ioPool.runIfActive(eventLoop: context.eventLoop) {
            let (reader, movedTo) = try Self.open(entry, owner: owner, topLines: topLines, maildrops: maildrops)
            return OpenedMessage(reader: reader, first: try reader.next(allocator: allocator), movedTo: movedTo)
        }.whenComplete { result in
            let (handler, ctx) = bound.value
            switch result {
            case .success(let opened):
                handler.startStreaming(opened, message, ctx)
            case .failure(let error):
                // Removed since the maildrop was opened (by an IMAP client, say), or unreadable:
                // nothing is out yet, so the client gets an error reply.
                handler.messageUnavailable(message, why: "\(error)", ctx)
            }
        }
    }

    /// Opens the listed file (blocking). When it is gone, the maildrop is listed again (a sync)
    /// and the message looked for by its unique-id: another client may have renamed it by
    /// changing its flags.
    static func open(_ entry: POP3MaildropEntry, owner: String?, topLines: Int?,
                     maildrops: any POP3MaildropProvider) throws -> (MessageFileReader, movedTo: String?) {
        do {
            return (try MessageFileReader(path: entry.path, topLines: topLines), nil)
        } catch let failure as MessageFileReader.Failure where failure.isMissing {
            guard let owner, let moved = try maildrops.open(owner: owner).first(where: { $0.uid == entry.uid })?.path,
                  moved != entry.path else { throw failure }
            return (try MessageFileReader(path: moved, topLines: topLines), moved)
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

    private func startStreaming(_ opened: OpenedMessage, _ message: MessageInfo, _ context: ChannelHandlerContext) {
        guard active, !closing else {
            opened.reader.close()
            return
        }
        if let moved = opened.movedTo { entries[message.index - 1].path = moved }
        var verb = pendingVerb
        pendingVerb = nil
        let status = POP3Replies.messageFollows(size: message.size)
        write(context, status)
        report(&verb, status: status)
        reader = opened.reader
        send(opened.first, context)
    }

    /// Writes one chunk. The last one is flushed with whatever follows (`resume`); any other is
    /// flushed at once and the next is read when it is on the socket: memory stays at one chunk.
    private func send(_ chunk: MessageFileReader.Chunk, _ context: ChannelHandlerContext) {
        armTimer(context)
        if chunk.isLast {
            reader = nil
            write(context, buffer: chunk.bytes)
            resume(with: [], context)
            return
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        life.writeAndFlush(context, chunk.bytes).whenComplete { written in
            let (handler, ctx) = bound.value
            switch written {
            case .success: handler.readNextChunk(ctx)
            case .failure: handler.finishStreaming()
            }
        }
    }

    private func readNextChunk(_ context: ChannelHandlerContext) {
        guard let reader else { return }
        let allocator = context.channel.allocator
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        server.ioPool.runIfActive(eventLoop: context.eventLoop) {
            try reader.next(allocator: allocator)
        }.whenComplete { result in
            let (handler, ctx) = bound.value
            handler.sendChunk(result, ctx)
        }
    }

    private func sendChunk(_ result: Result<MessageFileReader.Chunk, Error>, _ context: ChannelHandlerContext) {
        guard reader != nil else { return }
        guard active, !closing else {
            finishStreaming()
            return
        }
        switch result {
        case .success(let chunk):
            send(chunk, context)
        case .failure(let error):
            // The "+OK" is out, so the response cannot be turned into an error: the connection
            // ends without the terminating "." and the client knows the message is incomplete.
            server.hub.publish(.log(level: .error, message: "pop3 \(info.remoteAddress) \(info.id): reading a message: \(error)"))
            finishStreaming()
            closeAfterFlush(context)
        }
    }

    func finishStreaming() {
        reader?.close()
        reader = nil
    }
}
