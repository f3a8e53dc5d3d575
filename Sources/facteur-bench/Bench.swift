import ArgumentParser
import Foundation

@main
struct FacteurBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facteur-bench",
        abstract: "Load generator for Facteur (and any SMTP/IMAP/POP3 server) on loopback.",
        subcommands: [SMTPBench.self, IdleBench.self, FloodBench.self, GuardBench.self, IMAPBench.self, IMAPIdleBench.self, POP3Bench.self, IndexBench.self, ConsoleBench.self])
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

/// Runs `body(0..<count)` on `count` threads at once and waits for all of them.
/// (`DispatchQueue.concurrentPerform` runs only as many iterations at once as there are cores,
/// which would turn "--sessions 20" into 2 sessions on this machine.)
func parallelThreads(_ count: Int, _ body: (Int) -> Void) {
    withoutActuallyEscaping(body) { body in
        let box = UncheckedBox(body)
        let done = DispatchGroup()
        for i in 0..<count {
            done.enter()
            let t = Thread {
                box.value(i)
                done.leave()
            }
            t.stackSize = 1 << 20
            t.start()
        }
        done.wait()
    }
}

/// Carries a closure to threads that are all joined before it goes out of scope.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ v: T) { value = v }
}
