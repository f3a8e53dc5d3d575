import FacteurTestSupport
import Testing
@testable import FacteurNet

/// Half IPv4, half global-unicast IPv6.
func randomAddress(_ random: inout SeededRandom) -> IPAddress {
    random.next() % 2 == 0
        ? IPAddress(ipv4: UInt32(truncatingIfNeeded: random.next()))
        : IPAddress(high: 0x2000_0000_0000_0000 | random.next() >> 4, low: random.next())
}
