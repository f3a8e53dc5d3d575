import FacteurDNS
import Testing
@testable import FacteurRouter
import FacteurNet

struct NATPMPTests {
    @Test func parsesAPublicAddressResponse() {
        // version 0, opcode 128, result 0, epoch 0x00000102, 203.0.113.7
        #expect(NATPMP.parse([0, 128, 0, 0, 0, 0, 1, 2, 203, 0, 113, 7])?.description == "203.0.113.7")
    }

    @Test(arguments: [[UInt8]([0, 128, 0, 3, 0, 0, 1, 2, 203, 0, 113, 7]), [1, 128, 0, 0, 0, 0, 1, 2, 203, 0, 113, 7],
                      [0, 129, 0, 0, 0, 0, 1, 2, 203, 0, 113, 7], [0, 128, 0, 0, 0, 0, 1], []])
    func refusesErrorsAndGarbage(_ bytes: [UInt8]) {
        #expect(NATPMP.parse(bytes) == nil)
    }

    @Test func noAnswerMeansUnknown() {
        // Nothing listens on this loopback port: the RFC's retries end with nil, not a hang.
        let target = SocketAddressText("127.0.0.1:9", defaultPort: 9)!
        #expect(NATPMP.publicAddress(gateway: target, tries: 2) == nil)
    }
}
