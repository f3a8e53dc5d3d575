import FacteurCore
import FacteurServer
import Foundation
import Testing

/// The POP3 edge's pure pieces: the plaintext policy and the maildrop lock table. (They live in FacteurServer, which has no unit-test target yet.)
struct POP3EdgeUnitTests {
    @Test func plaintextPolicy() {
        let none = PlaintextPolicy(networks: [])
        #expect(none.allowsPlaintext(from: "127.0.0.1"))
        #expect(none.allowsPlaintext(from: "::1"))
        #expect(none.allowsPlaintext(from: "::ffff:127.0.0.1"))
        #expect(!none.allowsPlaintext(from: "127.0.0.5"))
        #expect(!none.allowsPlaintext(from: "192.168.1.5"))
        #expect(!none.allowsPlaintext(from: "?"))
        let lan = PlaintextPolicy(networks: ["192.168.1.0/24", "bogus", "2001:db8::/32"])
        #expect(lan.invalidEntries == ["bogus"])
        #expect(lan.networks.count == 2)
        #expect(lan.allowsPlaintext(from: "192.168.1.5"))
        #expect(lan.allowsPlaintext(from: "2001:db8::5"))
        #expect(!lan.allowsPlaintext(from: "192.168.2.5"))
    }

    @Test func maildropLockIsExclusiveAndOnlyItsHolderReleasesIt() {
        let locks = POP3MaildropLocks()
        let a = ConnectionID(1), b = ConnectionID(2)
        #expect(locks.acquire("alice@example.test", by: a))
        #expect(!locks.acquire("alice@example.test", by: b))
        #expect(locks.acquire("bob@example.test", by: b))
        locks.release("alice@example.test", by: b)            // not the holder: no effect
        #expect(locks.holder(of: "alice@example.test") == a)
        locks.release("alice@example.test", by: a)
        #expect(locks.holder(of: "alice@example.test") == nil)
        #expect(locks.acquire("alice@example.test", by: b))
    }
}
