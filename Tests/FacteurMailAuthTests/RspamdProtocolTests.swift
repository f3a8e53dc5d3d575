import Foundation
import Testing
@testable import FacteurMailAuth

struct RspamdProtocolTests {
    @Test func requestCarriesTheEnvelopeInHeaders() {
        let request = String(decoding: RspamdProtocol.request(message: Array("Subject: x\r\n\r\nhi\r\n".utf8), envelope: .init(
            client: "192.0.2.1", helo: "mail.example\r\nEvil: 1", mailFrom: "a@example.org", recipients: ["b@x.test", "c@x.test"],
            queueID: "ABC", hostname: "mx.x.test")), as: UTF8.self)
        #expect(request.hasPrefix("POST /checkv2 HTTP/1.1\r\n"))
        #expect(request.contains("Content-Length: 18\r\n"))
        #expect(request.contains("Helo: mail.exampleEvil: 1\r\n"), "CR and LF in a value cannot start a header")
        #expect(request.contains("Rcpt: b@x.test\r\nRcpt: c@x.test\r\n"))
        #expect(request.hasSuffix("\r\n\r\nSubject: x\r\n\r\nhi\r\n"))
    }

    @Test func parsesTheAction() throws {
        let body = #"{"is_skipped":false,"score":16.5,"required_score":15.0,"action":"add header","symbols":{}}"#
        let response = Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
        let verdict = try RspamdProtocol.parse(response: response).get()
        #expect(verdict == RspamdProtocol.Verdict(action: .addHeader, score: 16.5, requiredScore: 15))
    }

    @Test func refusesOtherAnswers() {
        #expect((try? RspamdProtocol.parse(response: Array("HTTP/1.1 500 Internal\r\n\r\n{}".utf8)).get()) == nil)
        #expect((try? RspamdProtocol.parse(response: Array("HTTP/1.1 200 OK\r\n\r\nnot json".utf8)).get()) == nil)
        #expect((try? RspamdProtocol.parse(response: Array("HTTP/1.1 200 OK\r\n\r\n{\"action\":\"explode\"}".utf8)).get()) == nil)
        #expect((try? RspamdProtocol.parse(response: Array("HTTP/1.1 200".utf8)).get()) == nil)
    }
}
