import FacteurTestSupport
import Testing
@testable import FacteurPOP3Core

@Suite struct PasswordDigestTests {
    static let referenceKey = PasswordDigestKey(k0: 0x0706050403020100, k1: 0x0F0E0D0C0B0A0908)

    /// Test vectors of the SipHash paper (Appendix A) and reference implementation.
    @Test func sipHashReferenceVectors() {
        #expect(PasswordDigest.sipHash24([], key: Self.referenceKey) == 0x726FDB47DD0E0E31)
        #expect(PasswordDigest.sipHash24(Array(0..<15), key: Self.referenceKey) == 0xA129CA6149BE45E5)
    }

    @Test func digestIsStableHexAndKeyed() {
        let a = PasswordDigest.digest("hunter2".bytes, key: Self.referenceKey)
        #expect(a.count == 16)
        #expect(a == PasswordDigest.digest("hunter2".bytes, key: Self.referenceKey))
        #expect(a != PasswordDigest.digest("hunter3".bytes, key: Self.referenceKey))
        #expect(a != PasswordDigest.digest("hunter2".bytes, key: PasswordDigestKey(k0: 1, k1: 2)))
        #expect(!a.contains("hunter"))
    }
}
