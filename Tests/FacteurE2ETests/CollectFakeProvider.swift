import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fake mail provider (scripts/collect_fake_pop3.py or collect_fake_imap.py) on loopback, with
/// its maildrop, fault mode and logs in a throw-away folder the test reads and writes.
final class FakeProvider: @unchecked Sendable {
    let proto: String
    let dir: String
    let user = "shop"
    let password = "s3cret pass"
    let process: Process
    let port: Int

    /// `tls`: "none", "stls" / "starttls", or "implicit" (a self-signed certificate is made).
    init(_ proto: String, tls: String = "none") throws {
        self.proto = proto
        dir = NSTemporaryDirectory() + "facteur-fake-\(proto)-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir + "/maildrop", withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", TestServer.scripts + "/collect_fake_\(proto).py", dir, user, password, tls]
        p.standardInput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: dir + "/stderr", contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: dir + "/stderr")
        p.standardError = FileHandle(forWritingAtPath: dir + "/stderr")
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(20)
        var found: Int?
        while Date() < deadline, found == nil {
            found = (try? String(contentsOfFile: dir + "/port", encoding: .utf8)).flatMap { Int($0) }
            if found == nil {
                if !p.isRunning { break }
                usleep(20_000)
            }
        }
        guard let found else {
            p.terminate()
            throw TestFailure("fake \(proto) did not start: \((try? String(contentsOfFile: dir + "/stderr", encoding: .utf8)) ?? "")")
        }
        port = found
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Puts a message in the maildrop; for IMAP `uid` must be a number. Returns its bytes.
    @discardableResult
    func add(_ uid: String, subject: String, body: String = "Hello from the provider.") throws -> String {
        let text = "Return-Path: <client-\(uid)@remote.test>\r\nFrom: Client <client-\(uid)@remote.test>\r\nTo: shop@isp.test\r\nSubject: \(subject)\r\nMessage-ID: <\(uid)@remote.test>\r\n\r\n\(body)\r\n.a line with a leading dot\r\n"
        try text.write(toFile: dir + "/maildrop/" + uid, atomically: true, encoding: .utf8)
        return text
    }

    /// A fault for the next connections ("drop-retr 2", "hang-dele", …); "" for none.
    func setMode(_ mode: String) throws { try mode.write(toFile: dir + "/mode", atomically: true, encoding: .utf8) }

    func setUIDValidity(_ value: Int) throws { try "\(value)".write(toFile: dir + "/uidvalidity", atomically: true, encoding: .utf8) }

    /// Messages still on the provider.
    var remaining: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/maildrop")) ?? []).sorted() }
    /// Deletions the provider committed, in order.
    var deleted: [String] { lines("deleted.log") }
    /// Commands received, "connect" per connection, "hang"/"drop" for injected faults.
    var events: [String] { lines("events.log") }

    func clearEvents() { unlink(dir + "/events.log") }

    private func lines(_ name: String) -> [String] {
        ((try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Polls the event log (the fault happens in another process); fails after `timeout`.
    func waitForEvent(_ event: String, timeout: TimeInterval = 60) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if events.contains(event) { return }
            usleep(20_000)
        }
        throw TestFailure("the fake \(proto) never logged \(event): \(events)")
    }

    /// The password file for a collect entry (mode 0600 unless told otherwise).
    func passwordFile(in folder: String, mode: mode_t = 0o600) throws -> String {
        let path = folder + "/\(proto)-password"
        try (password + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, mode)
        return path
    }

    /// A `[[collect]]` section for TestServer's `extra`.
    func collectSection(name: String = "isp", tls: String = "none", keepDays: Int = 0, recipient: String = "alice@example.test",
                        passwordFile: String, interval: String = "5m", extra: String = "") -> String {
        """
        [[collect]]
        name = "\(name)"
        protocol = "\(proto)"
        host = "127.0.0.1"
        port = \(port)
        tls = "\(tls)"
        user = "\(user)"
        password_file = "\(passwordFile)"
        recipient = "\(recipient)"
        interval = "\(interval)"
        keep_days = \(keepDays)
        \(extra)

        """
    }
}

/// The collector side: a facteur configuration (no server needed for `collect --once`).
extension TestServer {
    /// A TestServer whose configuration collects from `provider` for alice@example.test.
    static func collecting(from provider: FakeProvider, tls: String = "none", keepDays: Int = 0, passwordMode: mode_t = 0o600,
                           interval: String = "5m", extra: String = "") throws -> TestServer {
        let holder = NSTemporaryDirectory() + "facteur-pw-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: holder, withIntermediateDirectories: true)
        let pw = try provider.passwordFile(in: holder, mode: passwordMode)
        let s = try TestServer(extra: provider.collectSection(tls: tls, keepDays: keepDays, passwordFile: pw, interval: interval, extra: extra))
        try s.addUser("alice@example.test")
        return s
    }

    /// `facteur collect --once` at a chosen time (Unix seconds).
    @discardableResult
    func collectOnce(at now: TimeInterval, _ extra: [String] = []) throws -> (status: Int32, out: String, err: String) {
        try cli(["collect", "--once", "--now", String(Int(now))] + extra)
    }

    /// Starts `facteur collect --once` in the background (to be killed by the test).
    func spawnCollect(at now: TimeInterval) throws -> Process {
        try spawnCollect(["--once", "--now", String(Int(now))])
    }

    /// Starts `facteur collect ARGS` in the background.
    func spawnCollect(_ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["collect"] + args + ["--config", configPath]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Contents of alice's messages, the Received line the collector adds removed.
    var aliceMessages: [String] {
        messages("alice@example.test").compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }
            .map { text in
                guard text.hasPrefix("Received: "), let end = text.range(of: "\r\n") else { return text }
                return String(text[end.upperBound...])
            }
            .sorted()
    }

    /// The collector's ledger for an entry, as JSON.
    func ledger(_ entry: String = "isp") throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/data/collect/\(entry).json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    func writeLedger(_ object: [String: Any], _ entry: String = "isp") throws {
        let data = try JSONSerialization.data(withJSONObject: object)
        try data.write(to: URL(fileURLWithPath: dir + "/data/collect/\(entry).json"))
    }
}
