import Foundation
import Testing

/// Banned addresses are refused as soon as the connection is accepted, before any protocol
/// handler exists: one line with the reason and the end of the ban, then the server closes. The
/// refusal is an event (log line), not a connection. Behind a PROXY header the real address is
/// known only after the header, and the same refusal follows it.
@Suite(.serialized)
struct RefusalEndToEndTests {
    static let expected = ["SMTP": "554 5.7.1 Access denied: flooding (until ",
                           "IMAP": "* BYE Access denied: flooding (until ",
                           "POP3": "-ERR Access denied: flooding (until "]

    /// Everything the server sends until it closes (or "TIMEOUT" if it does not within 10 s);
    /// with `firstOnly`, what the first read gives.
    static func talk(port: Int, from source: String, proxyHeader: String?, firstOnly: Bool = false) throws -> String {
        let header = proxyHeader.map { "s.sendall(b\"\($0)\\r\\n\")" } ?? ""
        let r = try TestProcess.run("/usr/bin/env", ["python3", "-c", """
            import socket, sys
            s = socket.socket()
            s.bind(("\(source)", 0))
            s.settimeout(10)
            s.connect(("127.0.0.1", \(port)))
            \(header)
            out = b""
            try:
                while True:
                    d = s.recv(4096)
                    if not d: break
                    out += d
                    if \(firstOnly ? "True" : "False"): break
            except socket.timeout:
                out += b"TIMEOUT"
            sys.stdout.write(out.decode())
            """])
        return r.out
    }

    @Test(arguments: ["SMTP", "IMAP", "POP3"], [false, true])
    func bannedAddressGetsOneLineThenClose(_ service: String, proxied: Bool) throws {
        let s = try TestServer()
        if proxied {
            var cfg = try String(contentsOfFile: s.configPath, encoding: .utf8)
            let section = "[\(service.lowercased())]\nlisten = [\"127.0.0.1:0\"]"
            cfg = cfg.replacingOccurrences(of: section, with: section + "\nproxy_protocol = true\ntrusted_proxies = [\"127.0.0.0/8\"]")
            try cfg.write(toFile: s.configPath, atomically: true, encoding: .utf8)
        }
        // Saved before the start; the refused address is the client's (behind the proxy: the header's).
        let banned = proxied ? "192.0.2.66" : "127.0.7.7"
        #expect(try s.cli(["ban", banned, "--reason", "flooding"]).status == 0)
        try s.start(expect: ["SMTP", "IMAP", "POP3"])
        defer { s.stop() }
        let port = try #require(s.ports[service])
        let header = { (client: String) in proxied ? "PROXY TCP4 \(client) 127.0.0.1 40000 \(port)" : nil }

        let out = try Self.talk(port: port, from: proxied ? "127.0.0.1" : banned, proxyHeader: header(banned))
        let prefix = try #require(Self.expected[service])
        #expect(out.hasPrefix(prefix), "\(out)")
        // One line, then the server closed.
        #expect(out.hasSuffix(" +0000)\r\n") && out.components(separatedBy: "\r\n").count == 2, "\(out)")

        // Another client is served as usual.
        let other = try Self.talk(port: port, from: proxied ? "127.0.0.1" : "127.0.7.8", proxyHeader: header("192.0.2.67"), firstOnly: true)
        #expect(!other.hasPrefix(prefix), "\(other)")

        // The refusal is published (it reaches the log); no connection was opened for it.
        let deadline = Date().addingTimeInterval(5)
        while !s.log.contains("\(banned) rejected") && Date() < deadline { usleep(50_000) }
        #expect(s.log.contains("\(service.lowercased()) \(banned) rejected [manual]: flooding"), "\(s.log)")
        #expect(!s.log.contains("connect from \(banned)"), "\(s.log)")
    }
}
