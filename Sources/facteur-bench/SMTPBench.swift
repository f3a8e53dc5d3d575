import ArgumentParser
import Foundation
import Synchronization

struct SMTPBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smtp",
        abstract: "Send messages over N parallel sessions; report accepted messages/s and DATA→250 latency.")

    @OptionGroup var server: ServerOptions<SMTPService>
    @Option(help: "Parallel SMTP sessions.") var sessions = 20
    @Option(help: "Messages in all.") var messages = 5000
    @Option(help: "Message size in bytes.") var size = 4096
    @Option(help: "Recipient (a local user of the server).") var to = "bench@example.test"
    @Flag(help: "A new connection per message (like smtp-source without -d).") var reconnect = false

    func run() throws {
        let body = Self.message(size: size)
        let latencies = Mutex<[Double]>([])
        let failures = Mutex<[String]>([])
        let accepted = Atomic<Int>(0)
        let perSession = messages / sessions, extra = messages % sessions
        let start = Date()
        parallelThreads(sessions) { i in
            let count = perSession + (i < extra ? 1 : 0)
            var local: [Double] = []
            local.reserveCapacity(count)
            do {
                var conn: LineSocket? = nil
                for _ in 0..<count {
                    if conn == nil || reconnect {
                        if let c = conn { try? c.send("QUIT\r\n"); _ = try? c.readReply() }
                        let c = try LineSocket(host: server.host, port: server.port)
                        guard try c.readReply() == 220 else { throw BenchError("no 220 greeting") }
                        try c.send("EHLO bench.test\r\n")
                        guard try c.readReply() == 250 else { throw BenchError("EHLO refused") }
                        conn = c
                    }
                    guard let c = conn else { break }
                    // Pipelined envelope (RFC 2920), then the message.
                    try c.send("MAIL FROM:<bench@load.test>\r\nRCPT TO:<\(to)>\r\nDATA\r\n")
                    let m = try c.readReply(), r = try c.readReply(), d = try c.readReply()
                    guard m == 250, r == 250, d == 354 else { throw BenchError("envelope refused: \(m) \(r) \(d)") }
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    try c.send(body)
                    let code = try c.readReply()
                    let t1 = DispatchTime.now().uptimeNanoseconds
                    guard code == 250 else { throw BenchError("DATA answered \(code)") }
                    local.append(Double(t1 - t0) / 1e6)
                    accepted.add(1, ordering: .relaxed)
                }
                if let c = conn { try? c.send("QUIT\r\n"); _ = try? c.readReply() }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
            latencies.withLock { $0 += local }
        }
        let elapsed = Date().timeIntervalSince(start)
        let n = accepted.load(ordering: .relaxed)
        let s = Summary(latencies.withLock { $0 })
        print(String(format: "smtp: %d/%d messages accepted in %.2f s: %.0f msg/s; DATA→250 p50 %.2f ms, p99 %.2f ms (sessions %d, size %d, %@)",
                     n, messages, elapsed, Double(n) / elapsed, s.percentile(0.5), s.percentile(0.99), sessions, size,
                     reconnect ? "new connection per message" : "connections reused"))
        let f = failures.withLock { $0 }
        if !f.isEmpty {
            print("failures: \(f.count) sessions, first: \(f[0])")
            throw ExitCode.failure
        }
    }

    /// A message of about `size` bytes, dot-terminated, with 76-column lines.
    static func message(size: Int) -> [UInt8] {
        var text = "From: bench@load.test\r\nTo: bench@example.test\r\nSubject: benchmark\r\n\r\n"
        let line = String(repeating: "x", count: 76) + "\r\n"
        while text.utf8.count + line.utf8.count <= size { text += line }
        text += ".\r\n"
        return Array(text.utf8)
    }
}

struct IdleBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle",
        abstract: "Open N idle connections and hold them; prints when ready (measure the server's memory meanwhile).")

    @OptionGroup var server: ServerOptions<SMTPService>
    @Option var connections = 1000
    @Option(help: "Seconds to hold the connections.") var hold = 10
    @Option(help: "Server process id: print its RSS before and after.") var pid: Int32?

    func run() throws {
        let before = pid.flatMap(Self.rssKiB)
        var conns: [LineSocket] = []
        for _ in 0..<connections {
            let c = try LineSocket(host: server.host, port: server.port)
            _ = try c.readLine()
            conns.append(c)
        }
        Thread.sleep(forTimeInterval: 1)
        let after = pid.flatMap(Self.rssKiB)
        print("idle: \(conns.count) connections open")
        if let b = before, let a = after {
            print(String(format: "server RSS %d KiB → %d KiB: %.1f KiB per idle connection", b, a, Double(a - b) / Double(conns.count)))
        }
        Thread.sleep(forTimeInterval: TimeInterval(hold))
    }

    static func rssKiB(_ pid: Int32) -> Int? {
        guard let s = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in s.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
        return nil
    }
}
