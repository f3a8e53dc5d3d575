import Foundation
import Testing

/// BINARY (RFC 3516) and COMPRESS=DEFLATE (RFC 4978) with Python's imaplib and zlib.
@Suite(.serialized)
struct IMAPBinaryCompressEndToEndTests {
    func scenario(_ name: String, _ s: TestServer) throws -> [String: Any] {
        let r = try TestProcess.python("imap_binary_compress.py", [name, "127.0.0.1", String(s.ports["IMAP"] ?? 0), "alice@example.test", "pw"],
                                       timeout: 300)
        guard r.status == 0, let data = r.out.split(separator: "\n").last.map({ Data($0.utf8) }),
              let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestFailure("\(name) failed (\(r.status)): \(r.out) \(r.err)\nserver log:\n\(s.log)")
        }
        return obj
    }

    func server() throws -> TestServer {
        let s = try imapServer()
        try s.addUser("alice@example.test", password: "pw")
        try s.start(expect: ["SMTP", "IMAP"])
        return s
    }

    @Test func binaryFetchDecodesABase64AttachmentByteForByte() throws {
        let s = try server()
        defer { s.stop() }
        let r = try scenario("binary", s)
        #expect((r["capability"] as? String)?.contains("BINARY") == true)
        #expect(r["fetch_status"] as? String == "OK")
        #expect((r["size_line"] as? String)?.contains("BINARY.SIZE[2] 70005") == true, "\(r)")
        #expect(r["same_bytes"] as? Bool == true)
        #expect(r["literal8"] as? Bool == true, "decoded data with NUL goes out as ~{n}")
        #expect(r["partial_same"] as? Bool == true)
        #expect(r["text_part"] as? String == "see attachment")
        #expect((r["append8"] as? String)?.hasPrefix("R1 OK [APPENDUID") == true, "\(r)")
        #expect(r["append8_binary"] as? Bool == true)
        #expect(r["append8_body_has_nul"] as? Bool == false, "BODY[] never carries NUL: the part is stored base64")
        #expect(imapStatus(r["unknown_cte"]) == "NO")
        #expect(imapText(r["unknown_cte"]).contains("UNKNOWN-CTE"), "\(r)")
    }

    @Test func compressedSessionFetchesTheSameMessagesInFewerOctets() throws {
        let s = try server()
        defer { s.stop() }
        let r = try scenario("compress", s)
        #expect((r["capability"] as? String)?.contains("COMPRESS=DEFLATE") == true)
        #expect((r["pipelined_noop"] as? String)?.hasSuffix("OK NOOP completed") == true, "\(r)")
        #expect(r["same_messages"] as? Bool == true)
        #expect(r["big_append"] as? String == "OK")
        #expect(r["big_roundtrip"] as? Bool == true)
        #expect(imapStatus(r["second"]) == "NO")
        #expect(imapText(r["second"]).contains("[COMPRESSIONACTIVE]"), "\(r)")
        #expect(r["after_second"] as? String == "OK")
        let plain = r["plain_fetch_wire"] as? Int ?? 0
        let compressed = r["compressed_fetch_wire"] as? Int ?? Int.max
        #expect(compressed * 3 < plain, "FETCH of 100 messages: \(compressed) octets compressed, \(plain) plain")
        print("COMPRESS: FETCH 1:100 (BODY.PEEK[]) of \(r["fetch_octets"] ?? 0) message octets: \(plain) octets on the wire plain, \(compressed) compressed")
    }

    @Test func decompressionBombGetsAByeAndOthersCarryOn() throws {
        let s = try server()
        defer { s.stop() }
        let r = try scenario("bomb", s)
        let bye = (r["bye"] as? [String]) ?? []
        #expect(bye.count == 1 && bye[0].contains("inflates too much"), "\(r)")
        #expect(r["closed"] as? Bool == true)
        #expect(r["other_noop"] as? String == "OK", "another client's session is untouched")
        #expect(r["third_login"] as? String == "OK", "the server still accepts logins")
    }

    @Test func multiappendIsAllOrNone() throws {
        let s = try server()
        defer { s.stop() }
        let r = try scenario("multiappend", s)
        #expect((r["capability"] as? String)?.contains("MULTIAPPEND") == true)
        #expect((r["bad_second"] as? String)?.hasPrefix("M1 BAD") == true, "\(r)")
        #expect(r["after_bad"] as? Int == 0, "the 2nd of 3 messages was bad: none appended")
        #expect((r["two"] as? String)?.contains("[APPENDUID ") == true && (r["two"] as? String)?.contains(" 1:2]") == true, "\(r)")
        #expect((r["nowhere"] as? String)?.hasPrefix("M3 NO [TRYCREATE]") == true)
        #expect(r["after_nowhere"] as? Int == 2)
        #expect((r["good"] as? String)?.contains(" 3:5]") == true, "\(r)")
        #expect(r["after_good"] as? Int == 5)
        #expect((r["subjects"] as? [String])?.suffix(3) == ["Subject: one", "Subject: two", "Subject: three"])
        let tmp = s.mailRoot + "/example.test/alice/tmp"
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? []).isEmpty, "nothing left in tmp/")
    }

    @Test func listStatusAnswersEachMailboxInOneCommand() throws {
        let s = try server()
        defer { s.stop() }
        let r = try scenario("liststatus", s)
        #expect((r["capability"] as? String)?.contains("LIST-STATUS") == true)
        #expect(r["list"] as? String == "OK")
        let statuses = (r["statuses"] as? [String]) ?? []
        #expect(statuses.contains("INBOX (MESSAGES 2 UNSEEN 1)"), "\(r)")
        #expect(statuses.contains("Projects (MESSAGES 0 UNSEEN 0)"), "\(r)")
        #expect(((r["lists"] as? [String]) ?? []).count == statuses.count, "one STATUS per selectable mailbox: \(r)")
        #expect((r["capability"] as? String)?.contains("CREATE-SPECIAL-USE") == true)
        // STATUS=SIZE: the two messages appended, 17 + 17 octets.
        #expect((r["capability"] as? String)?.contains("STATUS=SIZE") == true)
        #expect(r["status_size"] as? String == "INBOX (SIZE 34 MESSAGES 2)", "\(r)")
        #expect(r["create_junk"] as? String == "OK")
        #expect(((r["junk_list"] as? [String]) ?? []).first?.contains("\\Junk") == true, "\(r)")
        #expect(imapStatus(r["create_unknown"]) == "NO" && imapText(r["create_unknown"]).contains("USEATTR"), "\(r)")
    }
}
