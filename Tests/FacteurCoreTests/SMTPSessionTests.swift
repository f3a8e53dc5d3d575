import Foundation
import Testing
@testable import FacteurCore

/// Drives an SMTPSession like an edge would: collects replies, stores messages in memory.
struct SessionDriver {
    var session: SMTPSession
    var replies: [SMTPReply] = []
    var stored: [(MessageEnvelope, String)] = []
    var offences: [SMTPOffence] = []
    var rejections: [String] = []
    var open: MessageEnvelope?
    var buffer: [UInt8] = []
    var closed = false
    var tlsRequested = false
    var failDelivery = false
    var now = Date(timeIntervalSince1970: 1_800_000_000)

    init(tls: Bool = true, maxSize: Int = 1000, maxErrors: Int = 10, maxRecipients: Int = 100,
         quotas: any QuotaDirectory = NoQuotas()) {
        let dir = StaticDirectory(domains: ["example.com"], users: ["alice@example.com", "bob@example.com"],
                                  aliases: ["team@example.com": ["alice@example.com", "bob@example.com"]])
        session = SMTPSession(settings: SMTPSessionSettings(hostname: "mx.example.com", maxMessageSize: maxSize,
                                                            maxRecipients: maxRecipients, maxErrors: maxErrors, tlsAvailable: tls),
                              directory: dir, quotas: quotas, remoteAddress: "192.0.2.9", now: now)
        run(session.start(now: now))
    }

    mutating func run(_ actions: [SMTPAction]) {
        for a in actions {
            switch a {
            case .send(let r): replies.append(r)
            case .startTLS: tlsRequested = true
            case .openMessage(let env): open = env; buffer = env.traceHeaders
            case .writeMessage(let b): buffer += b
            case .commitMessage:
                let env = open!
                open = nil
                if failDelivery {
                    run(session.deliveryFinished(.failure(.tempFailure), now: now))
                } else {
                    stored.append((env, String(decoding: buffer, as: UTF8.self)))
                    run(session.deliveryFinished(.success(env.id), now: now))
                }
            case .discardMessage: open = nil; buffer = []
            case .offence(let o, _): offences.append(o)
            case .rejected(let rule, _, _, _): rejections.append(rule)
            case .command: break
            case .close: closed = true
            }
        }
    }

    mutating func send(_ s: String) { run(session.receive(Array(s.utf8), now: now)) }

    /// Sends and returns the codes of the replies this input produced.
    mutating func codes(_ s: String) -> [Int] {
        let before = replies.count
        send(s)
        return replies[before...].map(\.code)
    }
}

struct SMTPSessionTests {
    @Test func greetingAndEHLO() {
        var d = SessionDriver()
        #expect(d.replies[0].encoded == "220 mx.example.com ESMTP Facteur ready\r\n")
        d.send("EHLO client.test\r\n")
        let ehlo = d.replies[1]
        #expect(ehlo.code == 250)
        for ext in ["PIPELINING", "SIZE 1000", "8BITMIME", "ENHANCEDSTATUSCODES", "STARTTLS", "SMTPUTF8", "CHUNKING"] {
            #expect(ehlo.lines.contains(ext), "\(ext)")
        }
        #expect(ehlo.encoded.hasPrefix("250-mx.example.com greets client.test [192.0.2.9]\r\n"))
    }

    @Test func fullTransaction() {
        var d = SessionDriver()
        #expect(d.codes("EHLO c\r\nMAIL FROM:<s@remote.test>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\n") == [250, 250, 250, 354])
        #expect(d.codes("Subject: hi\r\n\r\n..dot\r\n.\r\n") == [250])
        #expect(d.stored.count == 1)
        let (env, text) = d.stored[0]
        #expect(env.owners == ["alice@example.com"])
        #expect(text.hasPrefix("Return-Path: <s@remote.test>\r\nReceived: from c ([192.0.2.9])\r\n\tby mx.example.com (Facteur) with ESMTP\r\n"))
        #expect(text.contains("for <alice@example.com>;"))
        #expect(text.hasSuffix("Subject: hi\r\n\r\n.dot\r\n"))
        #expect(d.replies.last!.enhanced == "2.0.0")
    }

    @Test func pipelinedInOneSegment() {
        var d = SessionDriver()
        let codes = d.codes("EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<alice@example.com>\r\nRCPT TO:<x@gmail.com>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n")
        #expect(codes == [250, 250, 250, 550, 250, 354, 250, 221])
        #expect(d.stored.first?.0.owners == ["alice@example.com", "bob@example.com"])
        #expect(d.offences == [.relayAttempt])
        #expect(d.closed)
    }

    @Test func aliasesAreStoredOncePerOwner() {
        var d = SessionDriver()
        _ = d.codes("HELO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<team@example.com>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\nx\r\n.\r\n")
        #expect(d.stored.first?.0.owners == ["alice@example.com", "bob@example.com"])
        #expect(d.stored.first?.0.recipients.count == 2)
    }

    static let sequenceCases: [(String, [Int])] = [
        ("MAIL FROM:<a@b.test>\r\n", [503]),
        ("EHLO c\r\nRCPT TO:<alice@example.com>\r\n", [250, 503]),
        ("EHLO c\r\nDATA\r\n", [250, 503]),
        ("EHLO c\r\nMAIL FROM:<a@b.test>\r\nDATA\r\n", [250, 250, 554]),
        ("EHLO c\r\nMAIL FROM:<a@b.test>\r\nMAIL FROM:<a@b.test>\r\n", [250, 250, 503]),
        ("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRSET\r\nRCPT TO:<alice@example.com>\r\n", [250, 250, 250, 503]),
        ("EHLO c\r\nVRFY alice\r\nEXPN team\r\nNOOP\r\nHELP\r\n", [250, 252, 502, 250, 214]),
        ("EHLO c\r\nMAIL FROM:<a@b.test> SIZE=1001\r\n", [250, 552]),
        ("EHLO c\r\nMAIL FROM:<a@b.test> SIZE=999\r\n", [250, 250]),
        ("EHLO c\r\nMAIL FROM:<a@b.test> BODY=8BITMIME SMTPUTF8\r\n", [250, 250]),
        ("EHLO c\r\nMAIL FROM:<a@b.test> BODY=BINARYMIME\r\n", [250, 555]),
        ("EHLO c\r\nMAIL FROM:<a@b.test> RET=FULL\r\n", [250, 555]),
        ("HELO c\r\nMAIL FROM:<a@b.test> SIZE=10\r\n", [250, 555]),
        ("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.com> NOTIFY=NEVER\r\n", [250, 250, 555]),
        ("EHLO c\r\nMAIL FROM:<jö@b.test>\r\n", [250, 553]),
        ("EHLO c\r\nMAIL FROM:<jö@b.test> SMTPUTF8\r\n", [250, 250]),
        ("EHLO c\r\nAUTH PLAIN AGFAYg==\r\n", [250, 502]),
        ("XYZZY\r\n", [500]),
        ("EHLO\r\n", [501]),
        ("DATA extra\r\n", [501]),
        ("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<nobody@example.com>\r\n", [250, 250, 550]),
    ]

    @Test(arguments: sequenceCases)
    func sequences(_ input: String, _ expected: [Int]) {
        var d = SessionDriver()
        #expect(d.codes(input) == expected, "\(input.debugDescription)")
    }

    @Test func enhancedCodesOnEveryReply() {
        var d = SessionDriver()
        _ = d.codes("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<nobody@example.com>\r\nRCPT TO:<x@y.test>\r\nFOO\r\nVRFY x\r\nQUIT\r\n")
        for r in d.replies.dropFirst(2) { #expect(r.enhanced != nil, "\(r)") }
        #expect(d.replies.first(where: { $0.code == 550 && $0.enhanced == "5.1.1" }) != nil)
        #expect(d.replies.first(where: { $0.code == 550 && $0.enhanced == "5.7.1" }) != nil)
    }

    @Test func oversizeDataIsDiscardedWith552() {
        var d = SessionDriver(maxSize: 100)
        _ = d.codes("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\n")
        let codes = d.codes(String(repeating: "0123456789\r\n", count: 50) + ".\r\nNOOP\r\n")
        #expect(codes == [552, 250])
        #expect(d.replies[d.replies.count - 2].enhanced == "5.3.4")
        #expect(d.stored.isEmpty)
    }

    @Test func smugglingIsRefusedAndReported() {
        var d = SessionDriver()
        _ = d.codes("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\n")
        let codes = d.codes("x\n.\r\nMAIL FROM:<evil@x.test>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\nspoof\r\n.\r\n")
        #expect(codes == [550])
        #expect(d.offences.contains(.smuggling))
        #expect(d.stored.isEmpty)
    }

    @Test func longLineInDataRefused() {
        var d = SessionDriver(maxSize: 10000)
        _ = d.codes("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\n")
        #expect(d.codes(String(repeating: "x", count: 1200) + "\r\n.\r\n") == [550])
        #expect(d.replies.last!.enhanced == "5.6.0")
    }

    @Test func overlongCommandLine() {
        var d = SessionDriver()
        let codes = d.codes(String(repeating: "A", count: 5000))
        #expect(codes == [500])
        #expect(d.offences == [.overlongLine])
        #expect(d.codes(String(repeating: "A", count: 100) + "\r\nNOOP\r\n") == [250])
    }

    @Test func tooManyErrorsCloses() {
        var d = SessionDriver(maxErrors: 3)
        let codes = d.codes("A\r\nB\r\nC\r\nD\r\n")
        #expect(codes == [500, 500, 500, 421])
        #expect(d.closed)
    }

    @Test func recipientLimit() {
        var d = SessionDriver(maxRecipients: 2)
        let codes = d.codes("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\nRCPT TO:<team@example.com>\r\n")
        #expect(codes == [250, 250, 250, 250, 452])
    }

    @Test func starttlsResetsStateAndDropsInjectedCommands() {
        var d = SessionDriver()
        _ = d.codes("EHLO c\r\nMAIL FROM:<a@b.test>\r\n")
        #expect(d.codes("STARTTLS\r\nRCPT TO:<alice@example.com>\r\n") == [220])
        #expect(d.tlsRequested)
        #expect(d.offences == [.tlsInjection])
        d.run(d.session.tlsEstablished(TLSInfo(version: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256"), now: d.now))
        // State is reset: MAIL needs EHLO again, and STARTTLS is no longer offered.
        #expect(d.codes("MAIL FROM:<a@b.test>\r\n") == [503])
        _ = d.codes("EHLO c\r\n")
        #expect(!d.replies.last!.lines.contains("STARTTLS"))
        _ = d.codes("MAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\nx\r\n.\r\n")
        #expect(d.stored.first?.1.contains("with ESMTPS\r\n\t(TLSv1.3 cipher TLS_AES_128_GCM_SHA256)") == true)
    }

    @Test func starttlsUnavailable() {
        var d = SessionDriver(tls: false)
        #expect(d.codes("EHLO c\r\nSTARTTLS\r\n") == [250, 454])
    }

    @Test func bdatChunks() {
        var d = SessionDriver()
        _ = d.codes("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.com>\r\n")
        #expect(d.codes("BDAT 7\r\nSubj: x") == [250])
        #expect(d.codes("BDAT 11 LAST\r\n\r\n\r\n.body\r\nNOOP\r\n") == [250, 250])
        #expect(d.stored.count == 1)
        #expect(d.stored[0].1.hasSuffix("Subj: x\r\n\r\n.body\r\n"))
    }

    @Test func bdatWithoutTransactionSkipsChunk() {
        var d = SessionDriver()
        #expect(d.codes("EHLO c\r\nBDAT 6 LAST\r\nQUIT\r\nNOOP\r\n") == [250, 503, 250])
    }

    @Test func bdatOversize() {
        var d = SessionDriver(maxSize: 10)
        _ = d.codes("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.com>\r\n")
        #expect(d.codes("BDAT 20 LAST\r\n01234567890123456789NOOP\r\n") == [552, 250])
        #expect(d.stored.isEmpty)
    }

    @Test func dataInterleavedWithBdatRefused() {
        var d = SessionDriver()
        _ = d.codes("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.com>\r\nBDAT 1\r\nx")
        #expect(d.codes("DATA\r\n") == [503])
    }

    @Test func deliveryFailureGives451AndServerGoesOn() {
        var d = SessionDriver()
        d.failDelivery = true
        let codes = d.codes("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\nx\r\n.\r\nNOOP\r\n")
        #expect(codes == [250, 250, 250, 354, 451, 250])
        #expect(d.replies.first(where: { $0.code == 451 })?.enhanced == "4.3.0")
    }

    @Test func timeoutsDependOnPhase() {
        var d = SessionDriver()
        #expect(d.session.currentTimeout == SMTPLimits.greetingTimeout)
        _ = d.codes("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\n")
        #expect(d.session.currentTimeout == SMTPLimits.dataBlockTimeout)
        d.run(d.session.timedOut(now: d.now))
        #expect(d.replies.last!.code == 421)
        #expect(d.closed)
        #expect(d.open == nil)
    }

    @Test func shutdownLetsMessageInFlightFinish() {
        var d = SessionDriver()
        _ = d.codes("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\npart")
        d.run(d.session.shutdown(now: d.now))
        #expect(!d.closed)
        #expect(d.codes("\r\n.\r\n") == [250, 421])
        #expect(d.closed)
        #expect(d.stored.count == 1)
    }

    @Test func byteByByteEqualsWhole() {
        let script = "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\nA\r\n..B\r\n.\r\nBDAT 3\r\nxyzQUIT\r\n"
        var whole = SessionDriver()
        whole.send(script)
        var bytewise = SessionDriver()
        for b in script.utf8 { bytewise.run(bytewise.session.receive([b], now: bytewise.now)) }
        #expect(whole.replies.map(\.code) == bytewise.replies.map(\.code))
        func body(_ d: SessionDriver) -> [String] { d.stored.map { String($0.1.split(separator: "+0000\r\n", maxSplits: 1).last ?? "") } }
        #expect(body(whole) == body(bytewise))
        #expect(body(whole) == ["A\r\n.B\r\n"])
    }
}

struct SMTPPregreetTests {
    @Test func talkingBeforeTheGreetingIsRefused() {
        let dir = StaticDirectory(domains: ["example.com"], users: ["alice@example.com"])
        var s = SMTPSession(settings: SMTPSessionSettings(hostname: "mx", tlsAvailable: false), directory: dir,
                            remoteAddress: "192.0.2.1", now: Date())
        #expect(s.receive(Array("EHLO bot\r\n".utf8), now: Date()).isEmpty)
        let actions = s.start(now: Date())
        #expect(actions.contains(.offence(.prematureTalk, evidence: ["<10 octets sent before the greeting>"])))
        #expect(actions.contains(.send(SMTPReply(554, "5.5.1", "Protocol error: talking before the greeting"))))
        #expect(actions.last == .close)
        #expect(s.isClosed)
    }
}
