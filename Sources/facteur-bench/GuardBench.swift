import ArgumentParser
import FacteurGuard
import Foundation
import Synchronization

struct GuardBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guard",
        abstract: "Ban/rule lookup time for one address with many bans and CIDR rules loaded (in process).")

    @Option var bans = 100_000
    @Option var rules = 100_000
    @Option var iterations = 1_000_000

    func run() throws {
        let lookup = GuardBenchmark.lookup(bans: bans, rules: rules, iterations: iterations)
        print(String(format: "guard: lookup with %d bans and %d CIDR rules: %.0f ns per address", bans, rules, lookup))
        let admit = GuardBenchmark.admit(bans: bans, iterations: iterations / 4)
        print(String(format: "guard: full admit() with %d bans: %.0f ns per connection", bans, admit))
    }
}

struct FloodBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flood",
        abstract: "Connections/s a server refuses from banned addresses, while one legitimate client sends mail.")

    @OptionGroup var server: ServerOptions<SMTPService>
    @Option(help: ArgumentHelp("Banned source addresses to connect from: one 127.x.y.z or a range such as 127.0.9.1-127.0.9.20.",
                               discussion: "Connections go round-robin over the range, so that the TIME_WAIT entries of one source address do not cap the rate."))
    var from = "127.0.9.1"
    @Option(help: "Parallel flooding threads.") var threads = 8
    @Option(help: "Seconds to flood.") var seconds = 10.0
    @Option(help: "Legitimate client's source address.") var legit = "127.0.0.1"
    @Option(help: "Recipient for the legitimate client.") var to = "bench@example.test"

    func run() throws {
        let sources = try Self.addresses(from)
        let refused = Atomic<Int>(0), other = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let start = Date()
        // Real threads (the global dispatch queue would run only as many as there are cores).
        let flooded = DispatchSemaphore(value: 0)
        let flooders = Thread {
            parallelThreads(threads) { t in
                var next = t
                while !stop.load(ordering: .relaxed) {
                    let source = sources[next % sources.count]
                    next += 1
                    do {
                        let c = try LineSocket(host: server.host, port: server.port, source: source, timeout: 5)
                        let line = try c.readLine()
                        if line.hasPrefix("554") { refused.add(1, ordering: .relaxed) } else { other.add(1, ordering: .relaxed) }
                    } catch {
                        other.add(1, ordering: .relaxed)
                    }
                }
            }
            flooded.signal()
        }
        flooders.start()
        // Meanwhile a legitimate client delivers one message per second.
        var latencies: [Double] = []
        while Date().timeIntervalSince(start) < seconds {
            let t0 = Date()
            do {
                let c = try LineSocket(host: server.host, port: server.port, source: legit, timeout: 10)
                guard try c.readReply() == 220 else { throw BenchError("no greeting") }
                try c.send("EHLO legit.test\r\nMAIL FROM:<a@legit.test>\r\nRCPT TO:<\(to)>\r\nDATA\r\n")
                _ = try c.readReply(); _ = try c.readReply(); _ = try c.readReply(); _ = try c.readReply()
                try c.send(SMTPBench.message(size: 2048))
                guard try c.readReply() == 250 else { throw BenchError("not accepted") }
                try c.send("QUIT\r\n")
                latencies.append(Date().timeIntervalSince(t0) * 1000)
            } catch {
                latencies.append(.infinity)
            }
            Thread.sleep(forTimeInterval: max(0, 1 - Date().timeIntervalSince(t0)))
        }
        stop.store(true, ordering: .relaxed)
        flooded.wait()
        let elapsed = Date().timeIntervalSince(start)
        let s = Summary(latencies)
        print(String(format: "flood: %.0f refused connections/s (%d refused, %d other) over %.1f s with %d threads from %d addresses; legitimate transaction: max %.1f ms, p50 %.1f ms (%d sent)",
                     Double(refused.load(ordering: .relaxed)) / elapsed, refused.load(ordering: .relaxed), other.load(ordering: .relaxed),
                     elapsed, threads, sources.count, s.values.last ?? 0, s.percentile(0.5), latencies.count))
    }

    /// "127.0.9.1" or "127.0.9.1-127.0.9.20" (IPv4, first to last inclusive, at most 65536).
    static func addresses(_ text: String) throws -> [String] {
        let ends = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard ends.count <= 2, let first = ipv4(ends[0]), let last = ends.count == 2 ? ipv4(ends[1]) : first,
              first <= last, last - first < 65536 else {
            throw BenchError("--from: expected an IPv4 address or a range first-last, got '\(text)'")
        }
        return (first...last).map { "\($0 >> 24).\(($0 >> 16) & 255).\(($0 >> 8) & 255).\($0 & 255)" }
    }

    private static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        guard parts.count == 4 else { return nil }
        return parts.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
