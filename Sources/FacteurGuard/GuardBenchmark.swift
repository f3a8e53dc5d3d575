import Foundation
import FacteurNet

/// Micro-benchmarks for the release benchmark tool (`facteur-bench`). Not for unit tests:
/// timings mean something only in a release build.
public enum GuardBenchmark {
    /// Loads `bans` host bans (half IPv4, half IPv6) and `rules` CIDR rules of mixed lengths
    /// into one `NetworkSet`, then returns the mean nanoseconds per longest-prefix lookup over
    /// `iterations` lookups of addresses of which about half are covered.
    public static func lookup(bans: Int = 100_000, rules: Int = 100_000, iterations: Int = 1_000_000) -> Double {
        var random = SplitMix64(seed: 0x5EED)
        let (set, probes) = makeSet(bans: bans, rules: rules, random: &random)
        var found = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for index in 0..<iterations {
                if set.value(for: probes[index % probes.count]) != nil { found &+= 1 }
            }
        }
        precondition(found >= 0) // keeps the loop from being optimised away
        return nanoseconds(elapsed) / Double(max(iterations, 1))
    }

    /// Mean nanoseconds per `Guard.admit` call with `bans` bans loaded (admitted connections
    /// are disconnected again, so limits never fill up).
    public static func admit(bans: Int = 100_000, iterations: Int = 1_000_000) -> Double {
        var random = SplitMix64(seed: 0xAD17)
        var policy = GuardPolicy()
        policy.triggers.connectionRate.enabled = false
        var guardian = Guard(policy: policy)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var banned: [Ban] = []
        for _ in 0..<bans {
            let address = randomAddress(&random)
            banned.append(Ban(network: IPNetwork(host: address), rule: .manual, reason: "bench", evidence: [],
                              source: .manual, created: now, expires: now.addingTimeInterval(86_400)))
        }
        _ = guardian.load(bans: banned, now: now)
        let probes = (0..<4096).map { index in
            index % 2 == 0 ? banned[Int(random.next() % UInt64(max(banned.count, 1)))].network.address : randomAddress(&random)
        }
        var allowed = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for index in 0..<iterations {
                let address = probes[index % probes.count]
                if guardian.admit(address: address, service: .smtp, now: now).isAllowed {
                    allowed &+= 1
                    guardian.disconnect(address: address, service: .smtp, sessionID: nil)
                }
            }
        }
        precondition(allowed >= 0)
        return nanoseconds(elapsed) / Double(max(iterations, 1))
    }

    static func makeSet(bans: Int, rules: Int, random: inout SplitMix64) -> (NetworkSet<Int>, [IPAddress]) {
        var set = NetworkSet<Int>()
        var covered: [IPAddress] = []
        for index in 0..<bans {
            let address = randomAddress(&random)
            set.updateValue(index, for: IPNetwork(host: address))
            if covered.count < 2048 { covered.append(address) }
        }
        for index in 0..<rules {
            let address = randomAddress(&random)
            let length = address.isIPv4 ? 8 + Int(random.next() % 25) : 16 + Int(random.next() % 113)
            if let network = IPNetwork(address: address, prefixLength: length) {
                set.updateValue(bans + index, for: network)
            }
        }
        let probes = (0..<4096).map { index in index % 2 == 0 ? covered[index / 2 % max(covered.count, 1)] : randomAddress(&random) }
        return (set, probes)
    }

    static func randomAddress(_ random: inout SplitMix64) -> IPAddress {
        random.next() % 2 == 0
            ? IPAddress(ipv4: UInt32(truncatingIfNeeded: random.next()))
            : IPAddress(high: 0x2000_0000_0000_0000 | random.next() >> 4, low: random.next())
    }

    private static func nanoseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    }
}

/// A small deterministic generator, so benchmark and test data are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
