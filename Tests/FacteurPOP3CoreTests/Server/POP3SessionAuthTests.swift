import Foundation
import FacteurTestSupport
import Testing
@testable import FacteurPOP3Core

@Suite struct POP3SessionAuthTests {
    static func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }

    @Test func userPassSuccessOpensTheMaildrop() {
        var session = makeSession()
        #expect(session.send("USER alice") == [.reply("+OK send PASS")])
        #expect(session.send("PASS secret") == [.authenticate(user: "alice", password: "secret".bytes)])
        #expect(session.authResult(success: true, maildrop: twoMessages, inUse: false)
                == [.loginSucceeded(user: "alice"), .reply("+OK maildrop has 2 messages (300 octets)")])
        #expect(session.stateName == "TRANSACTION")
    }

    @Test func failedLoginProducesGuardEventWithDigestNotPassword() {
        var session = makeSession()
        _ = session.send("USER alice")
        _ = session.send("PASS wrong")
        let digest = PasswordDigest.digest("wrong".bytes, key: testKey)
        #expect(session.authResult(success: false, maildrop: nil, inUse: false)
                == [.loginFailed(user: "alice", passwordDigest: digest), .reply("-ERR [AUTH] invalid user name or password")])
        #expect(session.stateName == "AUTHORIZATION")
        #expect(session.failedLogins == 1)
        // The same wrong password on another session of the process gives the same digest.
        var other = makeSession()
        _ = other.send("AUTH PLAIN \(Self.b64("\0bob\0wrong"))")
        #expect(other.authResult(success: false, maildrop: nil, inUse: false).first == .loginFailed(user: "bob", passwordDigest: digest))
    }

    @Test func failedLoginLimitCloses() {
        var session = makeSession(limits: POP3Limits(failedLogins: 2))
        for attempt in 1...2 {
            _ = session.send("USER alice")
            _ = session.send("PASS wrong\(attempt)")
            let actions = session.authResult(success: false, maildrop: nil, inUse: false)
            #expect(actions.contains(.close) == (attempt == 2))
        }
        #expect(session.stateName == "CLOSED")
    }

    @Test(arguments: [
        (true, nil as [MessageInfo]?, true, "-ERR [IN-USE] maildrop is locked by another session"),
        (true, nil, false, "-ERR [SYS/TEMP] unable to open the maildrop"),
        (true, twoMessages, true, "-ERR [IN-USE] maildrop is locked by another session"),
    ])
    func loginWithoutMaildrop(success: Bool, maildrop: [MessageInfo]?, inUse: Bool, reply: String) {
        var session = makeSession()
        _ = session.send("USER alice")
        _ = session.send("PASS secret")
        #expect(session.authResult(success: success, maildrop: maildrop, inUse: inUse) == [.reply(reply)])
        #expect(session.stateName == "AUTHORIZATION")
        #expect(session.failedLogins == 0)
        // The client may try again.
        #expect(session.send("USER alice") == [.reply("+OK send PASS")])
    }

    @Test func authUnavailableIsTemporaryAndNotAFailedLogin() {
        var session = makeSession()
        _ = session.send("USER alice")
        _ = session.send("PASS secret")
        #expect(session.authUnavailable() == [.reply("-ERR [SYS/TEMP] authentication temporarily unavailable")])
        #expect(session.failedLogins == 0)
        #expect(session.authUnavailable() == [])
    }

    @Test func authResultOutsideVerificationIsIgnored() {
        var session = makeSession()
        #expect(session.authResult(success: true, maildrop: twoMessages, inUse: false) == [])
        #expect(session.stateName == "AUTHORIZATION")
    }

    @Test func maildropIsNumberedByPosition() {
        var session = makeSession()
        _ = session.send("USER alice"); _ = session.send("PASS secret")
        _ = session.authResult(success: true, maildrop: [MessageInfo(index: 7, uid: "x", size: 5)], inUse: false)
        #expect(session.send("UIDL") == [.replyMultiline("+OK unique-id listing follows", ["1 x"])])
    }

    // MARK: AUTH PLAIN (RFC 5034)

    @Test func authPlainWithContinuation() {
        var session = makeSession()
        #expect(session.send("AUTH PLAIN") == [.continuation("")])
        #expect(session.send(Self.b64("\0alice\0secret")) == [.authenticate(user: "alice", password: "secret".bytes)])
        #expect(session.lastVerb == "AUTH")
    }

    @Test func authPlainCancel() {
        var session = makeSession()
        _ = session.send("AUTH PLAIN")
        #expect(session.send("*") == [.reply("-ERR authentication cancelled")])
        #expect(session.send("USER alice") == [.reply("+OK send PASS")])
    }

    @Test(arguments: ["AUTH PLAIN !!!notbase64", "AUTH PLAIN ="])
    func authPlainBadInitialResponse(line: String) {
        var session = makeSession()
        let reply = session.send(line)
        #expect(reply.count == 1)
        #expect(reply.first.map { if case .reply(let t) = $0 { t.hasPrefix("-ERR") } else { false } } == true)
        #expect(session.stateName == "AUTHORIZATION")
    }

    @Test func authPlainBadBase64AfterContinuation() {
        var session = makeSession()
        _ = session.send("AUTH PLAIN")
        #expect(session.send("%%%") == [.reply("-ERR invalid base64 in authentication response")])
        #expect(session.send("AUTH PLAIN") == [.continuation("")])
        #expect(session.send(Self.b64("no nul separators")) == [.reply("-ERR malformed PLAIN authentication response")])
    }

    @Test func authPlainForeignAuthorizationIdentityFails() {
        var session = makeSession()
        let actions = session.send("AUTH PLAIN \(Self.b64("root\0alice\0secret"))")
        #expect(actions == [.loginFailed(user: "alice", passwordDigest: PasswordDigest.digest("secret".bytes, key: testKey)),
                            .reply("-ERR [AUTH] invalid user name or password")])
        #expect(makeSessionAuth("alice\0alice\0secret") == [.authenticate(user: "alice", password: "secret".bytes)])
    }

    func makeSessionAuth(_ raw: String) -> [POP3Action] {
        var session = makeSession()
        return session.send("AUTH PLAIN \(Self.b64(raw))")
    }

    @Test func authPlainContinuationOverflowAndLongResponse() {
        var session = makeSession(limits: POP3Limits(saslLineLength: 16))
        _ = session.send("AUTH PLAIN")
        #expect(session.send(String(repeating: "A", count: 20)) == [.reply("-ERR authentication response too long")])
        _ = session.send("AUTH PLAIN")
        #expect(session.receiveOverflow() == [.reply("-ERR authentication response too long")])
        #expect(session.stateName == "AUTHORIZATION")
    }

    // MARK: Plaintext policy and STLS (RFC 2595)

    @Test func plaintextRefusedWithoutTLS() {
        var session = makeSession(tls: false, tlsAvailable: true, plaintext: false)
        let refusal = POP3Action.reply("-ERR [AUTH] plaintext login not allowed, use STLS first")
        #expect(session.send("USER alice") == [refusal])
        #expect(session.send("PASS secret") == [refusal])
        #expect(session.send("AUTH PLAIN \(Self.b64("\0alice\0secret"))") == [refusal])
        #expect(session.send("AUTH PLAIN") == [refusal])
        #expect(session.send("AUTH") == [.replyMultiline("+OK SASL mechanisms follow", [])])
        #expect(session.send("CAPA") == [.replyMultiline("+OK capability list follows", [
            "TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "STLS", "PIPELINING", "IMPLEMENTATION Facteur"])])
    }

    @Test func plaintextRefusedWithoutAnyTLS() {
        var session = makeSession(tls: false, tlsAvailable: false, plaintext: false)
        #expect(session.send("USER alice") == [.reply("-ERR [AUTH] plaintext login not allowed on this connection")])
        #expect(session.send("STLS") == [.reply("-ERR STLS not available")])
        #expect(!session.capabilities.contains("STLS"))
    }

    @Test func plaintextAllowedForThisClient() {
        var session = makeSession(tls: false, tlsAvailable: true, plaintext: true)
        #expect(session.send("USER alice") == [.reply("+OK send PASS")])
        #expect(session.capabilities.contains("USER"))
        #expect(session.capabilities.contains("STLS"))
    }

    @Test func stlsThenLogin() {
        var session = makeSession(tls: false, tlsAvailable: true, plaintext: false)
        _ = session.send("USER early")
        #expect(session.send("STLS") == [.reply("+OK begin TLS negotiation"), .startTLS])
        #expect(session.tlsEstablished() == [])
        #expect(session.isTLS)
        // The USER given before STLS is forgotten (RFC 2595 §4).
        #expect(session.send("PASS secret") == [.reply("-ERR USER first")])
        #expect(session.send("CAPA") == [POP3SessionStateTableTests.capa])
        #expect(session.send("STLS") == [.reply("-ERR already using TLS")])
        #expect(session.send("USER alice") == [.reply("+OK send PASS")])
    }

    @Test func plaintextInjectedBehindSTLSClosesTheConnection() {
        var session = makeSession(tls: false, tlsAvailable: true)
        _ = session.send("STLS")
        #expect(session.send("USER injected") == [.close])
        #expect(session.tlsEstablished() == [])
        #expect(session.stateName == "CLOSED")
    }

    @Test func stlsOnlyBeforeLogin() {
        var session = makeSession(tls: false, tlsAvailable: true, plaintext: true)
        _ = session.send("USER alice"); _ = session.send("PASS secret")
        _ = session.authResult(success: true, maildrop: twoMessages, inUse: false)
        #expect(session.send("STLS") == [.reply("-ERR STLS not valid after login")])
        #expect(session.tlsEstablished() == [])
        #expect(!session.isTLS)
    }
}
