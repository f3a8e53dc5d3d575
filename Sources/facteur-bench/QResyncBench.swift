import ArgumentParser
import Foundation

/// Issue #16 target: a QRESYNC resynchronisation of a 100,000-message folder after 10 changes
/// answers in < 50 ms over the wire.
struct QResyncBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qresync",
        abstract: "Time SELECT INBOX (QRESYNC (…)) of a large folder after another session made a few changes.",
        discussion: """
            With --maildir (the user's Maildir, e.g. <data_dir>/mail/example.test/big) the folder is first \
            filled to --messages files written straight into new/ (the server indexes them at the first \
            SELECT). Each round: a second session makes --changes changes (flag changes on messages spread \
            over the folder, the last --expunges of them expunges), then the measured client, QRESYNC \
            enabled, selects INBOX with the UIDVALIDITY and HIGHESTMODSEQ it had before those changes. \
            The time is from sending SELECT to reading its tagged OK, answer checked.
            """)

    @OptionGroup var server: ServerOptions<IMAPService>
    @Option var user = "big@example.test"
    @Option var password = "pass"
    @Option(help: "The user's Maildir, to fill INBOX directly; without it INBOX must already be large.") var maildir: String?
    @Option var messages = 100_000
    @Option var changes = 10
    @Option(help: "How many of the changes are expunges (reported as VANISHED (EARLIER)).") var expunges = 2
    @Option var rounds = 10

    func run() throws {
        guard expunges <= changes, changes > 0 else { throw ValidationError("need 0 ≤ expunges ≤ changes, changes > 0") }
        if let maildir { try fill(maildir) }

        let client = try IMAPLoad(host: server.host, port: server.port)
        try client.run("LOGIN \"\(user)\" \"\(password)\"")
        try client.run("ENABLE QRESYNC")
        let other = try IMAPLoad(host: server.host, port: server.port)
        try other.run("LOGIN \"\(user)\" \"\(password)\"")

        var start = Date()
        var state = try selectState(try lines(client, "SELECT INBOX"))
        print(String(format: "qresync: INBOX %d messages, UIDVALIDITY %u; plain SELECT %.1f ms", state.exists, state.uidValidity,
                     Date().timeIntervalSince(start) * 1000))
        guard state.exists >= changes * rounds else { throw BenchError("INBOX has \(state.exists) messages: too few for \(rounds) rounds") }
        try other.run("SELECT INBOX")

        var times: [Double] = []
        for round in 0..<rounds {
            // The changes, made by the other session: UIDs spread over the folder.
            let uids = try lines(other, "UID SEARCH ALL").first { $0.hasPrefix("* SEARCH") }?
                .split(separator: " ").dropFirst(2).compactMap { UInt32($0) } ?? []
            let stride = max(1, uids.count / changes)
            let picked = (0..<changes).map { uids[min(uids.count - 1, $0 * stride + round)] }
            let flagged = picked.dropLast(expunges), doomed = picked.suffix(expunges)
            for uid in flagged {
                // \Flagged toggled, so that every round changes something whatever came before.
                let has = try lines(other, "UID FETCH \(uid) (FLAGS)").contains { $0.contains("\\Flagged") }
                try other.run("UID STORE \(uid) \(has ? "-" : "+")FLAGS.SILENT (\\Flagged)")
            }
            if !doomed.isEmpty {
                let set = doomed.map(String.init).joined(separator: ",")
                try other.run("UID STORE \(set) +FLAGS.SILENT (\\Deleted)")
                try other.run("UID EXPUNGE \(set)")
            }

            start = Date()
            let reply = try lines(client, "SELECT INBOX (QRESYNC (\(state.uidValidity) \(state.highestModSeq)))")
            let elapsed = Date().timeIntervalSince(start) * 1000
            let fetches = reply.filter { $0.hasPrefix("* ") && $0.contains(" FETCH (") }.count
            let vanished = reply.first { $0.hasPrefix("* VANISHED (EARLIER) ") }
            guard fetches >= flagged.count, (vanished != nil) == !doomed.isEmpty else {
                throw BenchError("round \(round): \(fetches) FETCH, VANISHED \(vanished ?? "none") for \(flagged.count) flag changes, \(doomed.count) expunges")
            }
            times.append(elapsed)
            state = try selectState(reply)
        }
        let s = Summary(times)
        print(String(format: "qresync: %d rounds, %d changes each (%d expunges): SELECT (QRESYNC) min %.1f / median %.1f / max %.1f ms",
                     rounds, changes, expunges, s.percentile(0), s.percentile(0.5), s.percentile(1)))
        try client.run("LOGOUT")
        try other.run("LOGOUT")
    }

    struct SelectState { var uidValidity: UInt32 = 0; var highestModSeq: UInt64 = 0; var exists = 0 }

    func selectState(_ reply: [String]) throws -> SelectState {
        var state = SelectState()
        for line in reply {
            if let v = number(after: "[UIDVALIDITY ", in: line) { state.uidValidity = UInt32(v) }
            if let v = number(after: "[HIGHESTMODSEQ ", in: line) { state.highestModSeq = v }
            if line.hasSuffix(" EXISTS"), let n = Int(line.split(separator: " ")[1]) { state.exists = n }
        }
        guard state.uidValidity != 0, state.highestModSeq != 0 else { throw BenchError("SELECT without UIDVALIDITY/HIGHESTMODSEQ: \(reply.suffix(3))") }
        return state
    }

    private func number(after prefix: String, in line: String) -> UInt64? {
        guard let r = line.range(of: prefix) else { return nil }
        return UInt64(line[r.upperBound...].prefix { $0.isNumber })
    }

    /// Sends a command and returns every line up to and including its tagged OK.
    func lines(_ session: IMAPLoad, _ command: String) throws -> [String] {
        session.tag += 1
        let tag = "q\(session.tag)"
        try session.c.send("\(tag) \(command)\r\n")
        var out: [String] = []
        while true {
            let line = try session.c.readLine()
            out.append(line)
            if line.hasPrefix(tag + " ") {
                guard line.dropFirst(tag.count + 1).hasPrefix("OK") else { throw BenchError("\(command): \(line)") }
                return out
            }
        }
    }

    /// Tops INBOX up to `messages` files, written into new/ as a delivery would.
    func fill(_ maildir: String) throws {
        let fm = FileManager.default
        try BenchMaildir.prepare(maildir)
        let present = ((try? fm.contentsOfDirectory(atPath: maildir + "/new"))?.count ?? 0)
            + ((try? fm.contentsOfDirectory(atPath: maildir + "/cur"))?.count ?? 0)
        guard present < messages else { return }
        let now = Int(Date().timeIntervalSince1970)
        for i in present..<messages {
            let body = "From: sender\(i % 97)@example.org\r\nTo: \(user)\r\nSubject: message \(i)\r\n"
                + "Message-ID: <\(i)@qresync.bench>\r\n\r\nbody \(i)\r\n"
            try BenchMaildir.write(body, into: maildir, name: "\(now).M\(i)P0.qresync")
        }
        print("qresync: wrote \(messages - present) messages into \(maildir)/new")
    }
}
