import Foundation
import Testing

/// PROXY protocol on the IMAP and POP3 listeners: the real client address from HAProxy's header
/// is what the guard sees (here: a country rule from the GeoIP test database).
struct ProxyEndToEndTests {
    @Test(arguments: ["IMAP", "POP3"])
    func countryRulesSeeTheProxiedAddress(_ service: String) throws {
        let db = testdata + "/geoip/GeoLite2-Country-Test.mmdb"
        let s = try TestServer(extra: "[guard]\ngeoip_db = \"\(db)\"\ndeny_countries = [\"BT\"]\n")
        var cfg = try String(contentsOfFile: s.configPath, encoding: .utf8)
        let section = "[\(service.lowercased())]\nlisten = [\"127.0.0.1:0\"]"
        cfg = cfg.replacingOccurrences(of: section, with: section + "\nproxy_protocol = true\ntrusted_proxies = [\"127.0.0.1/32\"]")
        try cfg.write(toFile: s.configPath, atomically: true, encoding: .utf8)
        try s.start(expect: ["SMTP", service])
        let port = try #require(s.ports[service])
        func greeting(_ address: String) throws -> String {
            let r = try TestProcess.run("/usr/bin/env", ["python3", "-c", """
                import socket
                s = socket.create_connection(("127.0.0.1", \(port)), timeout=10)
                s.sendall(b"PROXY TCP4 \(address) 127.0.0.1 40000 143\\r\\n")
                print(s.makefile("rb").readline().decode().strip())
                """])
            return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let bt = try greeting("67.43.156.7")
        let gb = try greeting("81.2.69.142")
        if service == "IMAP" {
            #expect(bt.hasPrefix("* BYE"), "\(bt)")
            #expect(gb.hasPrefix("* OK"), "\(gb)")
        } else {
            #expect(bt.hasPrefix("-ERR"), "\(bt)")
            #expect(gb.hasPrefix("+OK"), "\(gb)")
        }
        #expect(s.log.contains("67.43.156.7 rejected [country]"))
    }
}
