import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `facteur` process on loopback with a throw-away data folder, for end-to-end tests.
final class TestServer: @unchecked Sendable {
    let dir: String
    let configPath: String
    let logPath: String
    var process: Process?
    /// Bound ports per service name as logged ("SMTP", "IMAP", "POP3").
    private(set) var ports: [String: Int] = [:]

    static var binary: String {
        if let b = ProcessInfo.processInfo.environment["FACTEUR_BIN"] { return b }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for candidate in [".build/debug/facteur", ".build/x86_64-unknown-linux-gnu/debug/facteur", ".build/release/facteur"] {
            let p = root.appendingPathComponent(candidate).path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return root.appendingPathComponent(".build/debug/facteur").path
    }

    /// PYTHONPATH with the PyPI clients that scripts/test installs into .build-pydeps.
    static var pythonEnvironment: [String: String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let deps = root.appendingPathComponent(".build-pydeps").path
        let existing = ProcessInfo.processInfo.environment["PYTHONPATH"].map { ":" + $0 } ?? ""
        return ["PYTHONPATH": deps + existing]
    }

    static var scripts: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("scripts").path
    }

    /// `extra` is appended to the generated TOML (sections of its own, or top-level keys first via `top`).
    /// `authFailureDelay` is [guard] auth_failure_delay: off unless a test is about it, so that
    /// tests with wrong passwords from 127.x addresses are not slowed.
    init(top: String = "", smtp: String = "", extra: String = "", authFailureDelay: String = "0") throws {
        dir = NSTemporaryDirectory() + "facteur-e2e-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        configPath = dir + "/facteur.toml"
        logPath = dir + "/server.log"
        let penalty = "auth_failure_delay = \"\(authFailureDelay)\""
        let extra = extra.contains("[guard]\n") ? extra.replacingOccurrences(of: "[guard]\n", with: "[guard]\n\(penalty)\n")
                                                : extra + "\n[guard]\n\(penalty)\n"
        let toml = """
        hostname = "mx.example.test"
        domains = ["example.test", "other.test"]
        data_dir = "data"
        \(top)

        [smtp]
        listen = ["127.0.0.1:0"]
        max_message_size = 200000
        \(smtp)

        [imap]
        listen = ["127.0.0.1:0"]

        [pop3]
        listen = ["127.0.0.1:0"]

        \(extra)
        """
        try toml.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Runs a `facteur` subcommand against this server's configuration.
    @discardableResult
    func cli(_ args: [String], stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
        try TestProcess.run(Self.binary, args + ["--config", configPath], stdin: stdin)
    }

    func addUser(_ address: String, password: String = "secret") throws {
        let r = try cli(["user", "add", address, "--password-stdin"], stdin: password + "\n")
        guard r.status == 0 else { throw TestFailure("user add failed: \(r.err)") }
    }

    func start(expect services: [String] = ["SMTP"]) throws {
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["serve", "--config", configPath]
        p.standardOutput = FileHandle(forWritingAtPath: logPath)
        p.standardError = FileHandle(forWritingAtPath: logPath)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            ports = Self.parsePorts(log)
            if services.allSatisfy({ ports[$0] != nil }) { return }
            if !p.isRunning { throw TestFailure("server exited: \(log)") }
            usleep(50_000)
        }
        throw TestFailure("server did not start: \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
    }

    static func parsePorts(_ log: String) -> [String: Int] {
        var out: [String: Int] = [:]
        for line in log.split(separator: "\n") {
            guard let r = line.range(of: " listening on ") else { continue }
            let before = line[..<r.lowerBound].split(separator: " ").last.map(String.init) ?? ""
            let addr = line[r.upperBound...].split(separator: " ").first ?? ""
            if let colon = addr.lastIndex(of: ":"), let port = Int(addr[addr.index(after: colon)...]) {
                let key = line.contains("(TLS)") ? before + "S" : before
                if out[key] == nil { out[key] = port }
            }
        }
        return out
    }

    var smtpPort: Int { ports["SMTP"] ?? 0 }
    func setPorts(_ p: [String: Int]) { ports = p }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
    var mailRoot: String { dir + "/data/mail" }

    /// Files in new/ and cur/ of a user's Maildir (INBOX).
    func messages(_ owner: String) -> [String] {
        let parts = owner.split(separator: "@")
        let base = "\(mailRoot)/\(parts[1])/\(parts[0])"
        var out: [String] = []
        for sub in ["new", "cur"] {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: base + "/" + sub)) ?? []
            out += files.sorted().map { base + "/" + sub + "/" + $0 }
        }
        return out
    }

    func stop() {
        guard let p = process, p.isRunning else { return }
        p.terminate()
        let deadline = Date().addingTimeInterval(40)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

enum TestProcess {
    /// Runs a program to completion, with a time limit, returning its status and output.
    static func run(_ path: String, _ args: [String], stdin: String? = nil, timeout: TimeInterval = 120,
                    env: [String: String]? = nil) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        if let env { p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 } }
        let tmp = NSTemporaryDirectory() + "facteur-proc-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: tmp + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: tmp + ".err", contents: nil)
        defer { try? FileManager.default.removeItem(atPath: tmp + ".out"); try? FileManager.default.removeItem(atPath: tmp + ".err") }
        p.standardOutput = FileHandle(forWritingAtPath: tmp + ".out")
        p.standardError = FileHandle(forWritingAtPath: tmp + ".err")
        if let stdin {
            _ = FileManager.default.createFile(atPath: tmp + ".in", contents: Data(stdin.utf8))
            p.standardInput = FileHandle(forReadingAtPath: tmp + ".in")
        } else {
            p.standardInput = FileHandle.nullDevice
        }
        defer { try? FileManager.default.removeItem(atPath: tmp + ".in") }
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning { p.terminate(); usleep(100_000); kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        let out = (try? String(contentsOfFile: tmp + ".out", encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: tmp + ".err", encoding: .utf8)) ?? ""
        return (p.terminationStatus, out, err)
    }

    static func python(_ script: String, _ args: [String], timeout: TimeInterval = 120) throws -> (status: Int32, out: String, err: String) {
        try run("/usr/bin/env", ["python3", TestServer.scripts + "/" + script] + args, timeout: timeout, env: TestServer.pythonEnvironment)
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }
}
