import Foundation
import Testing

/// A banned address on an implicit-TLS listener (IMAPS, POP3S) gets the refusal line inside
/// TLS, after the handshake, then the close (issue #12): Python's ssl from 127.0.0.x.
@Suite(.serialized)
struct TLSRefusalEndToEndTests {
    func refusal(from source: String, port: Int, _ s: TestServer) throws -> [String: Any] {
        let r = try TestProcess.python("tls_refusal.py", [source, "127.0.0.1", String(port)], timeout: 60)
        guard r.status == 0, let line = r.out.split(separator: "\n").last,
              let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw TestFailure("tls_refusal failed (\(r.status)): \(r.out) \(r.err)\nserver log:\n\(s.log)")
        }
        return obj
    }

    @Test func bannedAddressGetsTheRefusalInsideTLS() throws {
        let s = try TestServer()
        var toml = try String(contentsOfFile: s.configPath, encoding: .utf8)
        for service in ["imap", "pop3"] {
            let section = "[\(service)]\nlisten = [\"127.0.0.1:0\"]\n"
            guard toml.contains(section) else { throw TestFailure("TestServer's [\(service)] section changed") }
            toml = toml.replacingOccurrences(of: section, with: section + "listen_tls = [\"127.0.0.1:0\"]\n")
        }
        try toml.write(toFile: s.configPath, atomically: true, encoding: .utf8)
        try s.start(expect: ["SMTP", "IMAPS", "POP3S"])
        defer { s.stop() }
        #expect(try s.cli(["ban", "127.0.0.66", "--for", "1h", "--reason", "tls test"]).status == 0)
        for (service, prefix) in [("IMAPS", "* BYE Access denied: tls test"), ("POP3S", "-ERR Access denied: tls test")] {
            let r = try refusal(from: "127.0.0.66", port: s.ports[service] ?? 0, s)
            #expect(r["handshake"] as? Bool == true, "\(service): \(r)")
            let lines = r["lines"] as? [String] ?? []
            #expect(lines.count == 1 && lines.first?.hasPrefix(prefix) == true, "\(service): \(r)")
            #expect(r["closed"] as? Bool == true, "\(service): \(r)")
        }
    }
}
