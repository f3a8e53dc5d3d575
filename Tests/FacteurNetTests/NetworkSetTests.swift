import Foundation
import FacteurTestSupport
import Testing
@testable import FacteurNet

@Suite struct NetworkSetTests {
    @Test func longestPrefixWins() {
        var set = NetworkSet<String>()
        set[net("10.0.0.0/8")] = "eight"
        set[net("10.1.0.0/16")] = "sixteen"
        set[net("10.1.2.3")] = "host"
        set[net("::/0")] = "everything"
        #expect(set.value(for: ip("10.1.2.3")) == "host")
        #expect(set.value(for: ip("10.1.2.4")) == "sixteen")
        #expect(set.value(for: ip("10.2.0.0")) == "eight")
        #expect(set.value(for: ip("11.0.0.0")) == "everything")
        #expect(set.value(for: ip("2001:db8::1")) == "everything")
        #expect(set.longestMatch(for: ip("10.1.9.9"))?.network == net("10.1.0.0/16"))
        #expect(set.matches(for: ip("10.1.2.3")).map(\.value) == ["everything", "eight", "sixteen", "host"])
        #expect(set.count == 4)
    }

    @Test func ipv4ZeroSlashZeroDoesNotHoldIPv6() {
        var set = NetworkSet<Int>()
        set[net("0.0.0.0/0")] = 1
        #expect(set.contains(ip("198.51.100.1")))
        #expect(set.contains(ip("::ffff:198.51.100.1")))
        #expect(!set.contains(ip("2001:db8::1")))
        #expect(!set.contains(ip("::1")))
    }

    @Test func replaceRemoveAndPrune() {
        var set = NetworkSet<Int>()
        #expect(set.updateValue(1, for: net("192.0.2.1")) == nil)
        #expect(set.updateValue(2, for: net("192.0.2.1")) == 1)
        set[net("192.0.2.2")] = 3
        set[net("192.0.2.0/24")] = 4
        #expect(set.count == 3)
        #expect(set.removeValue(for: net("192.0.2.0/25")) == nil)   // never inserted
        #expect(set.removeValue(for: net("192.0.2.0/24")) == 4)
        #expect(set.value(for: ip("192.0.2.3")) == nil)
        #expect(set.value(for: ip("192.0.2.2")) == 3)
        set[net("192.0.2.1")] = nil
        set[net("192.0.2.2")] = nil
        #expect(set.isEmpty)
        #expect(set.nodeCount == 1)   // only the root is left
        #expect(set.value(for: ip("192.0.2.2")) == nil)
    }

    @Test func modifyInPlace() {
        var set = NetworkSet<Int>()
        set[net("192.0.2.1")] = 1
        #expect(set.modifyValue(for: net("192.0.2.1")) { $0 += 10 } == 11)
        #expect(set.modifyValue(for: net("192.0.2.2")) { $0 += 10 } == nil)
        #expect(set[net("192.0.2.1")] == 11)
    }

    @Test func modifyLongestMatchOnlyWhenAccepted() {
        var set = NetworkSet<Int>()
        set[net("10.0.0.0/8")] = 1
        set[net("10.1.2.3")] = 5
        #expect(set.modifyLongestMatch(for: ip("10.1.2.3"), where: { $0 > 2 }) { $0 += 100 } == 105)
        #expect(set.modifyLongestMatch(for: ip("10.9.9.9"), where: { $0 > 2 }) { $0 += 100 } == nil)
        #expect(set.modifyLongestMatch(for: ip("11.0.0.1"), where: { _ in true }) { $0 += 100 } == nil)
        #expect(set[net("10.0.0.0/8")] == 1)
        #expect(set[net("10.1.2.3")] == 105)
    }

    @Test func entriesWithin() {
        var set = NetworkSet<Int>()
        for (index, text) in ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.3", "10.2.0.1", "11.0.0.1", "2001:db8::1"].enumerated() {
            set[net(text)] = index
        }
        #expect(set.entries(within: net("10.1.0.0/16")).map(\.network) == [net("10.1.0.0/16"), net("10.1.2.3")])
        #expect(set.entries(within: net("10.0.0.0/7")).map(\.value).sorted() == [0, 1, 2, 3, 4])
        #expect(set.entries(within: net("0.0.0.0/0")).count == 5)
        #expect(set.entries(within: net("::/0")).count == 6)
        #expect(set.entries(within: net("10.1.2.3")).map(\.value) == [2])
        #expect(set.entries(within: net("12.0.0.0/8")).isEmpty)
        #expect(set.entries.count == 6)
    }

    /// Random inserts, replacements and removals, checked after each step against a plain
    /// dictionary scanned linearly.
    @Test(arguments: [1, 2, 3, 4])
    func matchesNaiveReference(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var set = NetworkSet<Int>()
        var reference: [IPNetwork: Int] = [:]

        // Clustered address spaces so that networks nest and share prefixes.
        func randomAddress() -> IPAddress {
            switch random.next() % 4 {
            case 0: IPAddress(ipv4: 0x0A00_0000 | UInt32(truncatingIfNeeded: random.next() & 0xFFFF))
            case 1: IPAddress(high: 0x2001_0DB8_0000_0000, low: random.next() & 0xFFFF)
            case 2: IPAddress(ipv4: UInt32(truncatingIfNeeded: random.next()))
            default: IPAddress(high: random.next(), low: random.next())
            }
        }
        func randomNetwork() -> IPNetwork {
            let address = randomAddress()
            let length = address.isIPv4 ? Int(random.next() % 33) : Int(random.next() % 129)
            return IPNetwork(address: address, prefixLength: length) ?? IPNetwork(host: address)
        }

        var known: [IPNetwork] = []
        for step in 0..<3000 {
            if random.next() % 3 == 0, !known.isEmpty {
                let victim = known[Int(random.next() % UInt64(known.count))]
                #expect(set.removeValue(for: victim) == reference.removeValue(forKey: victim))
            } else {
                let network = random.next() % 4 == 0 && !known.isEmpty ? known[Int(random.next() % UInt64(known.count))] : randomNetwork()
                #expect(set.updateValue(step, for: network) == reference.updateValue(step, forKey: network))
                known.append(network)
            }
            #expect(set.count == reference.count)
            if step % 10 == 0 {
                for _ in 0..<20 {
                    let probe = random.next() % 2 == 0 ? randomAddress() : (known.randomElement(using: &random)?.address ?? randomAddress())
                    let containing = reference.filter { $0.key.contains(probe) }.sorted { $0.key.length128 < $1.key.length128 }
                    #expect(set.longestMatch(for: probe)?.network == containing.last?.key)
                    #expect(set.value(for: probe) == containing.last?.value)
                    #expect(set.matches(for: probe).map(\.network) == containing.map(\.key))
                }
                let outer = randomNetwork()
                let inside = Set(reference.keys.filter { outer.contains($0) })
                #expect(Set(set.entries(within: outer).map(\.network)) == inside)
            }
        }
        #expect(Set(set.entries.map(\.network)) == Set(reference.keys))
        for network in reference.keys { set.removeValue(for: network) }
        #expect(set.isEmpty)
        #expect(set.nodeCount == 1)
    }
}
