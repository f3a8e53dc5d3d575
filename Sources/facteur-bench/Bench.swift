import ArgumentParser
import Foundation

@main
struct FacteurBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facteur-bench",
        abstract: "Load generator for Facteur (and any SMTP/IMAP/POP3 server) on loopback.",
        subcommands: [SMTPBench.self, IdleBench.self, FloodBench.self, GuardBench.self, IMAPBench.self, IMAPIdleBench.self, POP3Bench.self, IndexBench.self, SortBench.self, QResyncBench.self, ConsoleBench.self, ConsoleAttachBench.self, SiegeBench.self, GuessBench.self])
}

/// Latency summary in milliseconds.
struct Summary {
    var values: [Double]
    init(_ v: [Double]) { values = v.sorted() }
    func percentile(_ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let i = min(values.count - 1, Int((Double(values.count - 1) * p).rounded()))
        return values[i]
    }
}

/// Loopback only: benchmarks never target anything else.
func checkLoopback(_ host: String) throws {
    guard host == "localhost" || host.hasPrefix("127.") || host == "::1" else {
        throw ValidationError("benchmarks talk to loopback only (127.0.0.0/8, ::1), not \(host)")
    }
}

/// Runs `body(0..<count)` on `count` threads at once and joins all of them.
/// (`DispatchQueue.concurrentPerform` runs only as many iterations at once as there are cores,
/// which would turn "--sessions 20" into 2 sessions on this machine.) The threads are joined with
/// pthread_join, so none of them still holds `body` when this returns.
func parallelThreads(_ count: Int, _ body: (Int) -> Void) {
    withoutActuallyEscaping(body) { body in
        var threads: [pthread_t] = []
        for i in 0..<count {
            let context = Unmanaged.passRetained(ThreadContext(body: body, index: i)).toOpaque()
            var t = pthread_t()
            let rc = pthread_create(&t, nil, { raw in
                let c = Unmanaged<ThreadContext>.fromOpaque(raw!).takeRetainedValue()
                c.body(c.index)
                return nil
            }, context)
            precondition(rc == 0, "pthread_create failed")
            threads.append(t)
        }
        for t in threads { pthread_join(t, nil) }
    }
}

/// What one load thread runs; released by the thread before it ends.
final class ThreadContext: @unchecked Sendable {
    let body: (Int) -> Void
    let index: Int
    init(body: @escaping (Int) -> Void, index: Int) { self.body = body; self.index = index }
}
