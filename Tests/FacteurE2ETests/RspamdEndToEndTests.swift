import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// rspamd scoring against a real rspamd from Debian, started here on a loopback port with its
/// own configuration (scripts/rspamd.conf; GTUBE test patterns decide the action).
@Suite(.serialized)
struct RspamdEndToEndTests {
    /// rspamd started for one test, killed at the end. nil (with the reason printed) when it cannot start.
    final class Rspamd {
        let port: Int
        let process: Process

        init?() {
            guard let binary = TestProcess.which("rspamd") else {
                print("RspamdEndToEndTests skipped: rspamd is not installed (apt-get install rspamd)")
                return nil
            }
            // Compiled regular expressions are cached across runs: the first start is slow.
            let dir = NSTemporaryDirectory() + "facteur-rspamd"
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            port = freePort()
            process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["-f", "-i", "-u", "root", "-g", "root", "-c", TestServer.scripts + "/rspamd.conf",
                                 "--var", "PORT=\(port)", "--var", "DBDIR=\(dir)", "--var", "RUNDIR=\(dir)", "--var", "LOGDIR=\(dir)"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch {
                print("RspamdEndToEndTests skipped: rspamd did not start: \(error)")
                return nil
            }
            let deadline = Date().addingTimeInterval(240)
            while Date() < deadline {
                if Self.accepts(port) { return }
                if !process.isRunning { break }
                usleep(200_000)
            }
            print("RspamdEndToEndTests skipped: rspamd did not listen on 127.0.0.1:\(port) (see \(dir)/rspamd.log)")
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            return nil
        }

        static func accepts(_ port: Int) -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            return withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            } == 0
        }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        }
    }

    static let gtube = "C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"

    func send(_ s: TestServer, body: String) throws -> MailAuthEndToEndTests.Sent {
        let message = "From: <a@far.example>\\r\\nTo: bob@example.test\\r\\nSubject: scored\\r\\n\\r\\n\(body)\\r\\n"
        let r = try TestProcess.python("mailauth_send.py", ["127.0.0.1", String(s.smtpPort), "127.0.0.5", "client.far.example",
                                                            "a@far.example", "bob@example.test", message])
        guard r.status == 0 else { throw TestFailure("mailauth_send.py failed: \(r.err)") }
        return try JSONDecoder().decode(MailAuthEndToEndTests.Sent.self, from: Data(r.out.utf8))
    }

    func server(rspamdPort: Int, unreachable: String = "accept") throws -> TestServer {
        let s = try TestServer(extra: """
            [mailauth]
            enabled = false
            trusted_networks = []

            [spam]
            rspamd = "127.0.0.1:\(rspamdPort)"
            unreachable = "\(unreachable)"
            """)
        try s.addUser("bob@example.test")
        try s.start()
        return s
    }

    @Test func actionsDecideRejectJunkAndInbox() throws {
        guard let rspamd = Rspamd() else { return }
        let s = try server(rspamdPort: rspamd.port)
        let rejected = try send(s, body: "XJS*" + Self.gtube)
        #expect(rejected.code == 550)
        #expect(rejected.reply.contains("5.7.1") && rejected.reply.contains("spam"))
        let flagged = try send(s, body: "YJS*" + Self.gtube)
        #expect(flagged.code == 250)
        let junk = ((try? FileManager.default.contentsOfDirectory(atPath: s.mailRoot + "/example.test/bob/.Junk/new")) ?? [])
        #expect(junk.count == 1)
        let clean = try send(s, body: "AJS*" + Self.gtube)
        #expect(clean.code == 250)
        let inbox = s.messages("bob@example.test")
        #expect(inbox.count == 1)
        let stored = try String(contentsOfFile: try #require(inbox.first), encoding: .utf8)
        #expect(stored.hasPrefix("X-Spam-Score: "))
        #expect(stored.contains("rspamd: no action"))
    }

    @Test func unreachableRspamdDeliversWithAHeaderOrTempfails() throws {
        let closed = freePort()
        let lenient = try server(rspamdPort: closed)
        #expect(try send(lenient, body: "hello").code == 250)
        let stored = try String(contentsOfFile: try #require(lenient.messages("bob@example.test").first), encoding: .utf8)
        #expect(stored.hasPrefix("X-Spam-Checker: mx.example.test; not scanned (rspamd unreachable"))
        let strict = try server(rspamdPort: closed, unreachable: "tempfail")
        let sent = try send(strict, body: "hello")
        #expect(sent.code == 451)
        #expect(strict.messages("bob@example.test").isEmpty)
    }
}
