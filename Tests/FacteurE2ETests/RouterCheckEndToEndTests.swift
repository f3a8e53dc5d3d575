import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A free TCP or UDP port on 127.0.0.1 (bound, read, released).
func freePort(udp: Bool = false) -> Int {
    let fd = socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// A dnslib server on 127.0.0.1 serving `zone`, stopped on deinit.
final class TestDNS {
    let port: Int
    let process: Process
    init(zone: String) throws {
        port = freePort(udp: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestServer.scripts + "/dns_server.py", String(port), zone]
        process.environment = ProcessInfo.processInfo.environment.merging(TestServer.pythonEnvironment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = pipe.fileHandleForReading.availableData
        guard String(decoding: line, as: UTF8.self).contains("READY") else { throw TestFailure("DNS server did not start (is dnslib installed?)") }
    }
    deinit { process.terminate() }
}

struct RouterCheckEndToEndTests {
    /// LAN address injected as 127.0.0.2 and public address 127.0.0.3: only loopback is touched.
    /// With `natpmpPort`, the public address is not configured but discovered over NAT-PMP from a
    /// responder on 127.0.0.1.
    func run(zone: String, publicAddress: String = "127.0.0.3", natpmpPort: Int? = nil) throws -> (Int32, [String: Any], String) {
        let dns = try TestDNS(zone: zone)
        let port = freePort()
        let routerKeys = natpmpPort.map { "discover = true\nnatpmp_gateway = \"127.0.0.1:\($0)\"" } ?? "public_address = \"\(publicAddress)\""
        let s = try TestServer(extra: """
            [dns]
            nameserver = "127.0.0.1:\(dns.port)"

            [router]
            \(routerKeys)
            lan_addresses = ["127.0.0.2"]
            public_ports = { smtp = \(port) }
            """)
        // Listen on all addresses so the injected LAN and public addresses (127.0.0.2/3) reach it.
        var cfg = try String(contentsOfFile: s.configPath, encoding: .utf8)
        cfg = cfg.replacingOccurrences(of: "[smtp]\nlisten = [\"127.0.0.1:0\"]", with: "[smtp]\nlisten = [\"0.0.0.0:\(port)\"]")
        cfg = cfg.replacingOccurrences(of: "[imap]\nlisten = [\"127.0.0.1:0\"]", with: "[imap]\nlisten = []")
        cfg = cfg.replacingOccurrences(of: "[pop3]\nlisten = [\"127.0.0.1:0\"]", with: "[pop3]\nlisten = []")
        try cfg.write(toFile: s.configPath, atomically: true, encoding: .utf8)
        try s.start()
        let r = try s.cli(["check", "--json"])
        let json = (try? JSONSerialization.jsonObject(with: Data(r.out.utf8))) as? [String: Any] ?? [:]
        let text = try s.cli(["check", "--ascii"]).out
        return (r.status, json, text)
    }

    func items(_ json: [String: Any]) -> [String: String] {
        var out: [String: String] = [:]
        for section in json["sections"] as? [[String: Any]] ?? [] {
            for item in section["items"] as? [[String: Any]] ?? [] {
                if let id = item["id"] as? String, let st = item["status"] as? String { out[id] = st }
            }
        }
        return out
    }

    /// Every check passes but one: the test cannot own public port 25, so the "SMTP uses public
    /// port 25" rule rightly fails; everything else (bound, LAN greeting, public reachability,
    /// MX, A, PTR) is checked for real against loopback.
    @Test func allOtherChecksPassWithGoodDNS() throws {
        let zone = """
        example.test. 300 IN MX 10 mx.example.test.
        other.test. 300 IN MX 10 mx.example.test.
        mx.example.test. 300 IN A 127.0.0.3
        3.0.0.127.in-addr.arpa. 300 IN PTR mx.example.test.
        """
        let (status, json, text) = try run(zone: zone)
        #expect(status == 1, "\(text)")
        #expect(json["schema"] as? String == "facteur.router-checklist/1")
        let st = items(json)
        #expect(st.count > 8)
        let failed = st.filter { $0.value == "fail" }.map(\.key)
        #expect(failed.count == 1 && failed[0].hasSuffix(".port"), "\(st)")
        let dnsItems = st.filter { $0.key.hasPrefix("dns.") }
        #expect(dnsItems.count == 4 && dnsItems.values.allSatisfy { $0 == "pass" }, "\(st)")
        #expect(text.contains("127.0.0.2"))
    }

    @Test func missingMXAndWrongAFail() throws {
        let zone = """
        mx.example.test. 300 IN A 127.0.0.9
        """
        let (status, json, text) = try run(zone: zone)
        #expect(status == 1)
        #expect(items(json).values.contains("fail"))
        #expect(text.contains("MX"))
    }

    @Test func publicAddressDiscoveredOverNATPMP() throws {
        let port = freePort(udp: true)
        let responder = Process()
        responder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        responder.arguments = ["python3", TestServer.scripts + "/natpmp_responder.py", String(port), "127.0.0.3"]
        let pipe = Pipe()
        responder.standardOutput = pipe
        responder.standardError = FileHandle.nullDevice
        try responder.run()
        defer { responder.terminate() }
        _ = pipe.fileHandleForReading.availableData
        let zone = """
        example.test. 300 IN MX 10 mx.example.test.
        other.test. 300 IN MX 10 mx.example.test.
        mx.example.test. 300 IN A 127.0.0.3
        3.0.0.127.in-addr.arpa. 300 IN PTR mx.example.test.
        """
        let (_, json, text) = try run(zone: zone, natpmpPort: port)
        #expect(items(json)["router.public-address"] == "pass", "\(text)")
        #expect(text.contains("127.0.0.3 (discovered from the router)"), "\(text)")
        #expect(items(json)["dns.hostname.address"] == "pass")
    }
}
