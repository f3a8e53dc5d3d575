/// TRANSACTION state (RFC 1939 §5, §7) and the UPDATE commit (§6).
extension POP3Session {
    mutating func transaction(_ command: POP3Command, _ drop: Maildrop) -> [POP3Action] {
        switch command {
        case .capa:
            return [.replyMultiline("+OK capability list follows", capabilities)]

        case .stat:
            // RFC 1939 §5: deleted messages are not counted.
            let (count, octets) = totals(drop)
            return [.reply("+OK \(count) \(octets)")]

        case .list(nil):
            let (count, octets) = totals(drop)
            let lines = live(drop).map { "\($0.index) \($0.size)" }
            return [.replyMultiline("+OK \(count) messages (\(octets) octets)", lines)]

        case .list(let n?):
            switch message(n, in: drop) {
            case .success(let info): return [.reply("+OK \(info.index) \(info.size)")]
            case .failure(let reply): return [.reply(reply.text)]
            }

        case .uidl(nil):
            return [.replyMultiline("+OK unique-id listing follows", live(drop).map { "\($0.index) \($0.uid)" })]

        case .uidl(let n?):
            switch message(n, in: drop) {
            case .success(let info): return [.reply("+OK \(info.index) \(info.uid)")]
            case .failure(let reply): return [.reply(reply.text)]
            }

        case .retr(let n):
            switch message(n, in: drop) {
            case .success(let info): return [.sendMessage(info, topLines: nil)]
            case .failure(let reply): return [.reply(reply.text)]
            }

        case .top(let n, let lines):
            switch message(n, in: drop) {
            case .success(let info): return [.sendMessage(info, topLines: lines)]
            case .failure(let reply): return [.reply(reply.text)]
            }

        case .dele(let n):
            switch message(n, in: drop) {
            case .success(let info):
                markedForDeletion.insert(info.index)
                return [.reply("+OK message \(info.index) deleted")]
            case .failure(let reply): return [.reply(reply.text)]
            }

        case .noop:
            return [.reply("+OK")]

        case .rset:
            markedForDeletion.removeAll()
            let (count, octets) = totals(drop)
            return [.reply("+OK maildrop has \(count) messages (\(octets) octets)")]

        case .quit:
            let uids = drop.messages.filter { markedForDeletion.contains($0.index) }.map(\.uid)
            if uids.isEmpty {
                state = .closed
                return [.reply("+OK \(configuration.hostname) POP3 server signing off"), .close]
            }
            state = .update(drop)
            return [.commitDeletions(uids)]

        case .user, .pass, .auth, .stls:
            return bad("-ERR \(command.verb) not valid after login")
        }
    }

    /// The edge finished the deletions requested by `.commitDeletions` (RFC 1939 §6).
    public mutating func commitResult(success: Bool) -> [POP3Action] {
        guard case .update = state else { return [] }
        state = .closed
        if success {
            return [.reply("+OK \(configuration.hostname) POP3 server signing off (\(markedForDeletion.count) messages deleted)"), .close]
        }
        return [.reply("-ERR [SYS/TEMP] some deleted messages not removed"), .close]
    }

    struct Refusal: Error { var text: String }

    /// RFC 1939 §5: a message-number "may NOT refer to a message marked as deleted".
    func message(_ n: Int, in drop: Maildrop) -> Result<MessageInfo, Refusal> {
        guard n >= 1, n <= drop.messages.count else { return .failure(Refusal(text: "-ERR no such message")) }
        guard !markedForDeletion.contains(n) else { return .failure(Refusal(text: "-ERR message \(n) already deleted")) }
        return .success(drop.messages[n - 1])
    }

    func live(_ drop: Maildrop) -> [MessageInfo] {
        drop.messages.filter { !markedForDeletion.contains($0.index) }
    }

    func totals(_ drop: Maildrop) -> (count: Int, octets: Int) {
        let messages = live(drop)
        return (messages.count, messages.reduce(0) { $0 + $1.size })
    }
}
