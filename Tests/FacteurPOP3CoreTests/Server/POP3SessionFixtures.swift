@testable import FacteurPOP3Core

let testKey = PasswordDigestKey(k0: 11, k1: 22)
let twoMessages = [MessageInfo(index: 1, uid: "u1", size: 100), MessageInfo(index: 2, uid: "u2", size: 200)]

func makeSession(tls: Bool = true, tlsAvailable: Bool = true, plaintext: Bool = false,
                 limits: POP3Limits = .standard) -> POP3Session {
    POP3Session(configuration: POP3SessionConfiguration(
        hostname: "mail.example.com", isTLS: tls, tlsAvailable: tlsAvailable,
        plaintextLoginAllowed: plaintext, digestKey: testKey, limits: limits))
}

/// A session in TRANSACTION for "alice" with the given maildrop.
func loggedInSession(_ messages: [MessageInfo] = twoMessages, limits: POP3Limits = .standard) -> POP3Session {
    var session = makeSession(limits: limits)
    _ = session.send("USER alice")
    _ = session.send("PASS secret")
    _ = session.authResult(success: true, maildrop: messages, inUse: false)
    return session
}

extension POP3Session {
    mutating func send(_ line: String) -> [POP3Action] { receive(line: Array((line + "\r\n").utf8)) }

    /// Only the text the client would see (status lines, continuation, multi-line bodies).
    mutating func replies(_ lines: [String]) -> [String] {
        lines.flatMap { line in
            send(line).compactMap { action -> String? in
                switch action {
                case .reply(let text): text
                case .replyMultiline(let first, let body): ([first] + body + ["."]).joined(separator: "|")
                case .continuation(let challenge): "+ " + challenge
                default: nil
                }
            }
        }
    }
}
