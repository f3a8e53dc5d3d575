import Testing
@testable import FacteurPOP3Core

/// CAPA per connection kind (RFC 2449 §5–§6, RFC 2595 §4).
@Suite struct POP3CapabilitiesTests {
    @Test(arguments: [
        // isTLS, tlsAvailable, plaintext allowed → capabilities
        (true, true, false, ["TOP", "UIDL", "USER", "RESP-CODES", "AUTH-RESP-CODE", "SASL PLAIN", "PIPELINING", "IMPLEMENTATION Facteur"]),
        (false, true, false, ["TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "STLS", "PIPELINING", "IMPLEMENTATION Facteur"]),
        (false, true, true, ["TOP", "UIDL", "USER", "RESP-CODES", "AUTH-RESP-CODE", "SASL PLAIN", "STLS", "PIPELINING", "IMPLEMENTATION Facteur"]),
        (false, false, false, ["TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "IMPLEMENTATION Facteur"]),
        (false, false, true, ["TOP", "UIDL", "USER", "RESP-CODES", "AUTH-RESP-CODE", "SASL PLAIN", "PIPELINING", "IMPLEMENTATION Facteur"]),
    ])
    func capabilities(tls: Bool, tlsAvailable: Bool, plaintext: Bool, expected: [String]) {
        let session = makeSession(tls: tls, tlsAvailable: tlsAvailable, plaintext: plaintext)
        #expect(session.capabilities == expected)
        #expect(session.loginPermitted == (tls || plaintext))
    }

    /// RFC 2449 §5: what AUTHORIZATION announces is announced in TRANSACTION too.
    @Test func sameListAfterLogin() {
        var session = makeSession(tls: false, tlsAvailable: true, plaintext: true)
        let before = session.capabilities
        _ = session.send("USER alice"); _ = session.send("PASS secret")
        _ = session.authResult(success: true, maildrop: [], inUse: false)
        #expect(session.send("CAPA") == [.replyMultiline("+OK capability list follows", before)])
    }
}
