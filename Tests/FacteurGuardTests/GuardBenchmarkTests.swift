import Foundation
import Testing
@testable import FacteurGuard

/// The benchmarks only run here, on tiny inputs, to prove they work; no timing is checked.
@Suite struct GuardBenchmarkTests {
    @Test func benchmarksRun() {
        #expect(GuardBenchmark.lookup(bans: 50, rules: 50, iterations: 100).isFinite)
        #expect(GuardBenchmark.admit(bans: 50, iterations: 100).isFinite)
    }

    /// The benchmark's data really has the mix it claims: about half the probes are covered.
    @Test func benchmarkProbesHitAndMiss() {
        var random = SplitMix64(seed: 1)
        let (set, probes) = GuardBenchmark.makeSet(bans: 1000, rules: 1000, random: &random)
        #expect(set.count > 1900)
        let covered = probes.filter { set.contains($0) }.count
        #expect(covered >= probes.count / 2)
        #expect(covered < probes.count)
    }
}
