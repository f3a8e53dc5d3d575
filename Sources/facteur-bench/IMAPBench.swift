import ArgumentParser
import Foundation
import Synchronization

/// A minimal IMAP client for load: tagged commands, literals skipped by their size.
final class IMAPLoad {
    let c: LineSocket
    var tag = 0

    init(host: String, port: Int) throws {
        c = try LineSocket(host: host, port: port)
        let greeting = try c.readLine()
        guard greeting.hasPrefix("* OK") else { throw BenchError("IMAP greeting: \(greeting)") }
    }

    /// Sends a command; reads to its tagged reply; returns that line (throws unless OK).
    @discardableResult
    func run(_ command: String, literal: [UInt8]? = nil) throws -> String {
        tag += 1
        let t = "a\(tag)"
        if let literal {
            try c.send("\(t) \(command) {\(literal.count)}\r\n")
            let cont = try c.readLine()
            guard cont.hasPrefix("+") else { throw BenchError("no continuation: \(cont)") }
            try c.send(literal + Array("\r\n".utf8))
        } else {
            try c.send("\(t) \(command)\r\n")
        }
        while true {
            let line = try c.readLine()
            // Skip literal payloads: "{n}" at the end of a line.
            if line.hasSuffix("}"), let open = line.lastIndex(of: "{"), let n = Int(line[line.index(after: open)..<line.index(before: line.endIndex)]) {
                _ = try c.readBytes(n)
                continue
            }
            if line.hasPrefix(t + " ") {
                guard line.dropFirst(t.count + 1).hasPrefix("OK") else { throw BenchError("\(command.prefix(40)): \(line)") }
                return line
            }
        }
    }
}

struct IMAPBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imap",
        abstract: "Mixed IMAP workload (login, select, fetch, store, append, expunge, logout) over N clients.")

    @OptionGroup var server: ServerOptions<IMAPService>
    @Option var clients = 10
    @Option(help: "Seconds to run.") var seconds = 20.0
    @OptionGroup var login: LoginOptions
    @Option var users = 1

    func run() throws {
        let commands = Atomic<Int>(0), sessions = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
        let message = Array("From: load@bench.test\r\nTo: \(login.user)\r\nSubject: imap load\r\n\r\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 2000) + Array("\r\n".utf8)
        let start = Date()
        parallelThreads(clients) { i in
            var n = i
            while Date().timeIntervalSince(start) < seconds {
                n += clients
                let name = login.user.contains("%d") ? login.user.replacingOccurrences(of: "%d", with: String(n % users + 1)) : login.user
                do {
                    let s = try IMAPLoad(host: server.host, port: server.port)
                    try s.run("LOGIN \"\(name)\" \"\(login.password)\"")
                    let sel = try s.run("SELECT INBOX")
                    _ = sel
                    try s.run("APPEND INBOX (\\Seen)", literal: message)
                    try s.run("UID FETCH 1:* (FLAGS)")
                    try s.run("FETCH 1:* (ENVELOPE BODYSTRUCTURE RFC822.SIZE)")
                    try s.run("FETCH 1 BODY.PEEK[]")
                    try s.run("STORE 1 +FLAGS (\\Deleted)")
                    try s.run("EXPUNGE")
                    try s.run("LOGOUT")
                    commands.add(9, ordering: .relaxed)
                    sessions.add(1, ordering: .relaxed)
                } catch {
                    failures.withLock { if $0.count < 5 { $0.append("\(error)") } }
                }
            }
        }
        let elapsed = Date().timeIntervalSince(start)
        print(String(format: "imap: %.0f commands/s, %.1f sessions/s (login, select, append, fetch×3, store, expunge, logout) over %d clients, %.1f s",
                     Double(commands.load(ordering: .relaxed)) / elapsed, Double(sessions.load(ordering: .relaxed)) / elapsed, clients, elapsed))
        let f = failures.withLock { $0 }
        if !f.isEmpty { print("failures (first \(f.count)): \(f)"); throw ExitCode.failure }
    }
}

struct IMAPIdleBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imap-idle",
        abstract: "Open N authenticated IMAP connections in IDLE; report the server's memory per connection.")

    @OptionGroup var server: ServerOptions<IMAPService>
    @Option var connections = 1000
    @OptionGroup var login: LoginOptions
    @Option(help: "Server process id, to read its RSS.") var pid: Int32?
    @Option var hold = 5

    func run() throws {
        let before = pid.flatMap(IdleBench.rssKiB)
        var open: [IMAPLoad] = []
        for _ in 0..<connections {
            let s = try IMAPLoad(host: server.host, port: server.port)
            try s.run("LOGIN \"\(login.user)\" \"\(login.password)\"")
            try s.run("SELECT INBOX")
            try s.c.send("i IDLE\r\n")
            let cont = try s.c.readLine()
            guard cont.hasPrefix("+") else { throw BenchError("IDLE refused: \(cont)") }
            open.append(s)
        }
        Thread.sleep(forTimeInterval: 1)
        let after = pid.flatMap(IdleBench.rssKiB)
        print("imap-idle: \(open.count) connections in IDLE")
        if let b = before, let a = after {
            print(String(format: "server RSS %d KiB → %d KiB: %.1f KiB per idle authenticated connection", b, a, Double(a - b) / Double(open.count)))
        }
        Thread.sleep(forTimeInterval: TimeInterval(hold))
    }
}

struct POP3Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pop3",
        abstract: "POP3 sessions/s and RETR throughput: login, STAT, RETR every message, QUIT, over N clients.",
        discussion: """
            With USER%d, client k logs in as users k+1, k+1+clients, k+1+2·clients … (up to --users), so no \
            two clients ever want the same maildrop at once: a server that locks maildrops (RFC 1939 §8) \
            would refuse the second session, one that does not would not, and the figures would not compare. \
            With fewer users than clients, clients share users and a locking server refuses some logins.
            """)

    @OptionGroup var server: ServerOptions<POP3Service>
    @Option var clients = 4
    @Option var seconds = 20.0
    @OptionGroup var login: LoginOptions
    @Option var users = 1

    /// The user numbers (1…users) client `k` (0-based) goes through in turn: disjoint between
    /// clients when there are at least as many users as clients.
    static func userNumbers(client k: Int, clients: Int, users: Int) -> [Int] {
        guard users >= clients else { return [k % max(1, users) + 1] }
        return Array(stride(from: k + 1, through: users, by: clients))
    }

    func run() throws {
        if login.user.contains("%d"), users < clients {
            print("note: \(clients) clients share \(users) users; a server that locks maildrops refuses some logins")
        }
        let sessions = Atomic<Int>(0), retrs = Atomic<Int>(0), bytes = Atomic<Int>(0), refused = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
        let start = Date()
        parallelThreads(clients) { i in
            let mine = Self.userNumbers(client: i, clients: clients, users: users)
            var turn = 0
            while Date().timeIntervalSince(start) < seconds {
                let name = login.user.contains("%d") ? login.user.replacingOccurrences(of: "%d", with: String(mine[turn % mine.count])) : login.user
                turn += 1
                do {
                    let c = try LineSocket(host: server.host, port: server.port)
                    guard try c.readLine().hasPrefix("+OK") else { throw BenchError("greeting") }
                    try c.send("USER \(name)\r\nPASS \(login.password)\r\nSTAT\r\n")
                    guard try c.readLine().hasPrefix("+OK"), try c.readLine().hasPrefix("+OK") else {
                        refused.add(1, ordering: .relaxed)
                        throw BenchError("login refused")
                    }
                    let stat = try c.readLine()
                    let count = Int(stat.split(separator: " ").dropFirst().first ?? "0") ?? 0
                    for m in 1...max(1, count) where count > 0 {
                        try c.send("RETR \(m)\r\n")
                        guard try c.readLine().hasPrefix("+OK") else { throw BenchError("RETR refused") }
                        bytes.add(try c.skipMultiline(), ordering: .relaxed)
                        retrs.add(1, ordering: .relaxed)
                    }
                    try c.send("QUIT\r\n")
                    _ = try c.readLine()
                    sessions.add(1, ordering: .relaxed)
                } catch {
                    failures.withLock { if $0.count < 5 { $0.append("\(error)") } }
                }
            }
        }
        let elapsed = Date().timeIntervalSince(start)
        print(String(format: "pop3: %.1f sessions/s, %.0f RETR/s, %.1f MB/s over %d clients, %.1f s",
                     Double(sessions.load(ordering: .relaxed)) / elapsed, Double(retrs.load(ordering: .relaxed)) / elapsed,
                     Double(bytes.load(ordering: .relaxed)) / elapsed / 1e6, clients, elapsed))
        let f = failures.withLock { $0 }
        if refused.load(ordering: .relaxed) > 0 { print("logins refused: \(refused.load(ordering: .relaxed))") }
        if !f.isEmpty { print("failures (first \(f.count)): \(f)"); throw ExitCode.failure }
    }
}
