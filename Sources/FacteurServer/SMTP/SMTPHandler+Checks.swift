import FacteurCore
import Foundation
import NIOCore

/// The end of DATA with checks (`EndOfDataChecks`: greylisting, SPF/DKIM/DMARC, rspamd): the
/// message is checked before anything is stored, then refused (550 / 451) or stored with our
/// header fields, into the INBOX or the Junk folder. The 250 still comes only after the Maildir
/// commit.
extension SMTPHandler {
    /// Starts the checks and returns true, or returns false when they do not apply to this
    /// client (the caller then commits as before).
    func commitAfterChecks(_ context: ChannelHandlerContext) -> Bool {
        let address = info.remoteAddress
        guard let checks = EndOfDataChecks(server, remoteAddress: address), let env = envelope else { return false }
        let box = spool
        let tail = pending
        pending = []
        // The message: what was already spooled (read back on the I/O pool), then what is in memory.
        // Nothing spooled (the message fits in memory, the usual case): no trip to the I/O pool,
        // whose threads are busy with other messages' fsyncs.
        let whole: EventLoopFuture<[UInt8]>
        if let previous = io {
            whole = previous.flatMap { [pool = server.ioPool, loop = context.eventLoop] in
                pool.runIfActive(eventLoop: loop) { () throws -> [UInt8] in
                    guard let file = box.file else { return tail }
                    return try file.contents() + tail
                }
            }
        } else {
            whole = context.eventLoop.makeSucceededFuture(tail)
        }
        let decision = context.eventLoop.makePromise(of: EndOfDataChecks.Decision.self)
        let helo = session.heloName ?? "", now = server.clock()
        whole.whenComplete { result in
            switch result {
            case .success(let bytes):
                let message = Array(bytes.dropFirst(env.traceHeaders.count))
                decision.completeWithTask {
                    await checks.run(message: message, env: env, remoteAddress: address, helo: helo, now: now)
                }
            case .failure(let error):
                decision.fail(error)
            }
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        decision.futureResult.whenComplete { result in
            let (h, ctx) = bound.value
            // The connection was closed (and the message discarded) meanwhile.
            guard h.envelope?.id == env.id else { return }
            h.apply(result, env, ctx)
        }
        return true
    }

    private func apply(_ result: Result<EndOfDataChecks.Decision, any Error>, _ env: MessageEnvelope, _ context: ChannelHandlerContext) {
        switch result {
        case .failure(let error):
            server.hub.publish(.log(level: .error, message: "mail checks of \(env.id) failed: \(error)"))
            discard()
            run(session.deliveryFinished(.failure(.tempFailure), now: server.clock()), context)
        case .success(.refuse(let reply, let rule, let summary, let checks)):
            discard()
            server.hub.publish(.rejected(Rejection(connection: info.id, service: .smtp, remoteAddress: info.remoteAddress,
                                                   rule: rule, reason: "\(reply.lines.first ?? "") [\(summary)]",
                                                   sender: env.sender, recipient: env.recipients.first, checks: checks)))
            run(session.deliveryFinished(.failure(reply), now: server.clock()), context)
        case .success(.deliver(let message, let junkRule, let summary, let checks)):
            checkOutcome = checks
            // What was spooled lacks the Authentication-Results header: the message is stored anew.
            let old = spool
            spool = SpoolBox()
            io = nil
            if old.file != nil { server.ioPool.submit { _ in old.file?.abort() } }
            if let junkRule {
                server.hub.publish(.log(level: .info, message: "message \(env.id) from \(info.remoteAddress) goes to Junk (\(junkRule): \(summary))"))
            }
            pending = message
            spoolPending(commit: true, folder: junkRule == nil ? nil : Self.junkFolder, context)
            return
        }
        flushIfNeeded(context)
        armTimer(context)
    }

    /// The Maildir++ folder of the Junk mailbox (RFC 6154 \Junk, created for every user).
    static var junkFolder: String { ".Junk" }
}
