import FacteurServer
import Foundation
import Testing

/// RETR and TOP of files put into the Maildir by another program, around the size below which a
/// message is read in one visit to the I/O pool (`POP3EdgeLimits.messageChunk`) and across the
/// chunk boundaries of larger ones: octet for octet on a raw socket, line for line through poplib.
@Suite(.serialized)
struct POP3RetrievalTests {
    static let chunk = POP3EdgeLimits.messageChunk

    /// A message of exactly `size` octets: a header, then body lines of `lineLength` octets
    /// (`ending` included) whose every third line starts with ".", cut to size.
    static func message(size: Int, ending: String, lineLength: Int = 61) -> Data {
        var text = Data("Subject: \(size) octets\(ending)From: someone@remote.test\(ending)\(ending)".utf8)
        var i = 0
        while text.count < size {
            let filler = String(repeating: Character(UnicodeScalar(UInt8(ascii: "a") + UInt8(i % 26))), count: lineLength - ending.utf8.count - 1)
            text.append(Data(((i % 3 == 0 ? "." : "x") + filler + ending).utf8))
            i += 1
        }
        return text.prefix(size)
    }

    /// Writes `files` (name → content) into alice's new/ and returns their paths.
    static func put(_ files: [(String, Data)], in s: TestServer) throws -> [String] {
        let folder = s.mailRoot + "/example.test/alice/new"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try files.map { name, content in
            let path = folder + "/" + name
            try content.write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    @Test func messagesAroundAndAcrossTheChunkSizeAreSentExactly() throws {
        let s = try TestServer.pop3()
        let chunk = Self.chunk
        var files: [(String, Data)] = [
            ("1.one-below.test", Self.message(size: chunk - 1, ending: "\n")),
            ("2.exactly.test", Self.message(size: chunk, ending: "\n")),
            ("3.one-above.test", Self.message(size: chunk + 1, ending: "\n")),
            ("4.two-chunks.test", Self.message(size: 2 * chunk, ending: "\r\n")),
            ("5.small-crlf.test", Self.message(size: 3000, ending: "\r\n")),
            ("6.empty.test", Data()),
            ("7.dots.test", Data("Subject: dots\n\n.\n..\n.x\n\n.".utf8)),
        ]
        // A CRLF split by the chunk boundary, then a line starting with "." just after it.
        var split = Self.message(size: chunk - 1, ending: "\n")
        split.append(Data("\r\n.after the boundary\r\nend\r\n".utf8))
        files.append(("8.crlf-at-boundary.test", split))
        // A bare LF as the first octet of the second chunk, a "." line right after.
        var lf = Self.message(size: chunk, ending: "\n")
        lf.append(Data("\n.starts the second chunk\nlast line without newline".utf8))
        files.append(("9.lf-at-boundary.test", lf))
        // A bare CR as the last octet of the first chunk: content, not half a line ending.
        var bareCR = Self.message(size: chunk - 1, ending: "\n")
        bareCR.append(Data("\rstill the same line\n.next\n".utf8))
        files.append(("10.bare-cr-at-boundary.test", bareCR))
        let paths = try Self.put(files, in: s)

        let r = try pop3Scenario("retr_files", s, "alice@example.test", "secret", "2", paths[0], paths[1], paths[2], paths[3],
                                 paths[4], paths[5], paths[6], paths[7], paths[8], paths[9], timeout: 300)
        #expect((r["pass"] as? String ?? "").hasPrefix("+OK maildrop has \(files.count) messages"), "\(r)")
        let results = r["messages"] as? [String: [String: Any]] ?? [:]
        #expect(results.count == files.count, "\(r)")
        for (name, _) in files {
            let m = results[name] ?? [:]
            #expect(m["retr"] as? String == "+OK \(Self.wireSize(files.first { $0.0 == name }!.1)) octets", "\(name)")
            #expect(m["retr_equal"] as? Bool == true, "\(name): RETR differs (\(m["octets"] ?? "?") octets)")
            #expect(m["top_equal"] as? Bool == true, "\(name): TOP differs")
            #expect(m["poplib_equal"] as? Bool == true, "\(name): poplib lines differ")
        }
    }

    @Test func aMessageRenamedAfterTheListingIsStillSent() throws {
        let s = try TestServer.pop3()
        let paths = try Self.put([("10.renamed.test", Self.message(size: 5000, ending: "\n"))], in: s)
        let renamed = s.mailRoot + "/example.test/alice/cur/10.renamed.test:2,S"
        let r = try pop3Scenario("retr_after_rename", s, "alice@example.test", "secret", paths[0], renamed)
        #expect(r["retr"] as? String == "+OK \(Self.wireSize(Self.message(size: 5000, ending: "\n"))) octets")
        #expect(r["equal"] as? Bool == true)
        #expect((r["quit"] as? String ?? "").hasPrefix("+OK"))
    }

    /// RFC 1939 §11 "exact size": CRLF line endings, no stuffing, an unterminated last line closed.
    static func wireSize(_ message: Data) -> Int {
        var size = message.count, previous: UInt8 = 0
        for byte in message {
            if byte == 0x0A, previous != 0x0D { size += 1 }
            previous = byte
        }
        if let last = message.last, last != 0x0A { size += 2 }
        return size
    }
}
