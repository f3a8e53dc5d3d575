#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

struct CLITests {
    @Test func userAndAliasCommands() throws {
        let s = try TestServer()
        try s.addUser("alice@example.test")
        let dup = try s.cli(["user", "add", "alice@example.test", "--password-stdin"], stdin: "x\n")
        #expect(dup.status != 0)
        #expect(dup.err.contains("already exists"))
        let bad = try s.cli(["user", "add", "../evil@example.test", "--password-stdin"], stdin: "x\n")
        #expect(bad.status != 0)
        let foreign = try s.cli(["user", "add", "x@gmail.com", "--password-stdin"], stdin: "x\n")
        #expect(foreign.status != 0)
        #expect(foreign.err.contains("not one of this server's domains"))
        #expect(try s.cli(["alias", "add", "sales@example.test", "alice@example.test"]).status == 0)
        #expect(try s.cli(["alias", "list"]).out.contains("sales@example.test → alice@example.test"))
        #expect(try s.cli(["user", "list"]).out == "alice@example.test\n")
        // Passwords are stored as yescrypt hashes, never in clear.
        let db = try String(decoding: Data(contentsOf: URL(fileURLWithPath: s.dir + "/data/facteur.sqlite")), as: UTF8.self)
        #expect(db.contains("$y$"))
        #expect(!db.contains("secret"))
        #expect(try s.cli(["user", "passwd", "alice@example.test", "--password-stdin"], stdin: "new\n").status == 0)
        #expect(try s.cli(["alias", "del", "sales@example.test"]).status == 0)
        #expect(try s.cli(["user", "del", "alice@example.test"]).status == 0)
        #expect(try s.cli(["user", "list"]).out == "")
    }

    @Test func configErrorsNameKeyAndLine() throws {
        let s = try TestServer(extra: "[smtp2]\nfoo = 1\n")
        let r = try s.cli(["user", "list"])
        #expect(r.status != 0)
        #expect(r.err.contains("unknown key 'smtp2'"))
        #expect(r.err.contains("facteur.toml:"))
        let missing = try TestProcess.run(TestServer.binary, ["serve", "--config", "/nonexistent/facteur.toml"])
        #expect(missing.status != 0)
        #expect(missing.err.contains("no such configuration file"))
    }

    @Test func initWritesAWorkingConfigAndRefusesToOverwrite() throws {
        let dir = NSTemporaryDirectory() + "facteur-init-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cfg = dir + "/facteur.toml"
        let r = try TestProcess.run(TestServer.binary, ["init", "--domain", "example.com", "--config", cfg])
        #expect(r.status == 0, "\(r.err)")
        let text = try String(contentsOfFile: cfg, encoding: .utf8)
        #expect(text.contains("hostname = \"mail.example.com\""))
        #expect(text.contains("\"0.0.0.0:25\""))
        #expect(FileManager.default.fileExists(atPath: dir + "/data"))
        let again = try TestProcess.run(TestServer.binary, ["init", "--domain", "example.com", "--config", cfg])
        #expect(again.status != 0)
        #expect(again.err.contains("exists"))
        // The generated file is accepted by the other commands.
        #expect(try TestProcess.run(TestServer.binary, ["user", "list", "--config", cfg]).status == 0)
    }
}

struct PrivilegeDropTests {
    /// Started as root with `user = "nobody"`: binds, then runs as nobody, and still delivers.
    @Test func dropsToTheConfiguredUserAfterBinding() throws {
        guard getuid() == 0 else { return } // only meaningful (and only possible) as root; CI runs as root
        let s = try TestServer(top: "user = \"nobody\"")
        try s.addUser("alice@example.test")
        try s.start()
        guard let pid = s.process?.processIdentifier,
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
            Issue.record("no /proc status"); return
        }
        let uidLine = status.split(separator: "\n").first { $0.hasPrefix("Uid:") } ?? ""
        let nobody = getpwnam("nobody")?.pointee.pw_uid ?? 65534
        #expect(uidLine.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().allSatisfy { $0 == "\(nobody)" }, "\(uidLine)")
        let r = try scenario("deliver", s, "alice@example.test")
        #expect((r["refused"] as? [String: Any])?.isEmpty == true)
        #expect(s.messages("alice@example.test").count == 1)
        #expect(s.log.contains("running as nobody"))
    }
}
