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
