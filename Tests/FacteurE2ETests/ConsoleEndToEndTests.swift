import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs a shell command with posix_spawn (tmux's server must not inherit a Foundation pipe),
/// output through a temporary file.
@discardableResult
func sh(_ command: String) -> (status: Int32, out: String) {
    let tmp = NSTemporaryDirectory() + "facteur-sh-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: tmp) }
    var pid: pid_t = 0
    let args = ["/bin/sh", "-c", "(\(command)) > \(tmp) 2>&1 < /dev/null"]
    var cargs = args.map { strdup($0) } + [nil]
    defer { for a in cargs { free(a) } }
    guard posix_spawn(&pid, "/bin/sh", nil, nil, &cargs, environ) == 0 else { return (-1, "") }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return ((status >> 8) & 0xff, (try? String(contentsOfFile: tmp, encoding: .utf8)) ?? "")
}

/// A real `facteur console` in a private tmux server.
final class ConsoleSession {
    let socket = "facteur-test-\(UUID().uuidString.prefix(8))"
    let server: TestServer
    /// Started its own server (no other was running): stopped at the end of the test.
    let embedded: Bool

    /// With no server running, the console starts one (embedded) and the ports are read from its
    /// log; with one running (`server.start()`), it attaches and says so in its title bar.
    init(server: TestServer, args: [String] = [], width: Int = 120, height: Int = 40) throws {
        self.server = server
        embedded = server.process == nil && !args.contains("--attach")
        // exec: the pane's process is the console itself (tests kill it by pid).
        let cmd = "exec env LANG=C.UTF-8 TERM=xterm-256color \(TestServer.binary) console --config \(server.configPath) \(args.joined(separator: " "))"
        let r = sh("tmux -L \(socket) new-session -d -s t -x \(width) -y \(height) '\(cmd)'")
        guard r.status == 0 else { throw TestFailure("tmux failed: \(r.out)") }
        if !embedded {
            guard waitFor("attached to pid").contains("attached to pid") else { throw TestFailure("console did not attach: \(capture())") }
            return
        }
        // The embedded server logs to data/facteur.log; read the ports from there.
        let log = server.dir + "/data/facteur.log"
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            let ports = TestServer.parsePorts(text)
            if ports["SMTP"] != nil { server.setPorts(ports); return }
            usleep(50_000)
        }
        throw TestFailure("console did not start: \(capture())")
    }

    func keys(_ k: String...) {
        for key in k { sh("tmux -L \(socket) send-keys -t t \(key)") }
        usleep(300_000)
    }

    /// Sends keys without waiting afterwards.
    func send(_ k: String) { sh("tmux -L \(socket) send-keys -t t \(k)") }

    /// Types text literally.
    func type(_ text: String) { sh("tmux -L \(socket) send-keys -t t -l '\(text)'"); usleep(100_000) }

    func capture() -> String { sh("tmux -L \(socket) capture-pane -p -t t").out }

    /// The console's process id.
    var pid: Int32 { Int32(sh("tmux -L \(socket) display-message -p -t t '#{pane_pid}'").out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 }

    /// Whether the console still runs (its tmux session ends with it).
    var isRunning: Bool { sh("tmux -L \(socket) has-session -t t").status == 0 }

    /// Waits until the screen contains `text` (the console redraws on events and every second).
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 30) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = capture()
            if screen.contains(text) { return screen }
            usleep(100_000)
        }
        return screen
    }

    func resize(_ w: Int, _ h: Int) { sh("tmux -L \(socket) resize-window -t t -x \(w) -y \(h)"); usleep(400_000) }

    deinit {
        sh("tmux -L \(socket) send-keys -t t q; sleep 0.3; tmux -L \(socket) send-keys -t t y; sleep 1; tmux -L \(socket) kill-server")
        // A server this console started and left running (detached) stops with the test.
        if embedded { sh("\(TestServer.binary) stop --config \(server.configPath)") }
    }
}

@Suite(.serialized)
struct ConsoleEndToEndTests {
    @Test func consoleShowsAndActsOnTheLiveServer() throws {
        guard TestProcess.which("tmux") != nil else { Issue.record("tmux is not installed (scripts/test installs it)"); return }
        let s = try TestServer()
        try s.addUser("alice@example.test")
        let c = try ConsoleSession(server: s)
        #expect(c.waitFor("listening").contains("SMTP"))

        // A real SMTP client's connection appears in panel 2 with its address.
        let holder = Thread { _ = try? scenario(from: "127.0.0.3", "hold", s, "4") }
        holder.start()
        c.keys("2")
        #expect(c.waitFor("127.0.0.3").contains("127.0.0.3"), "\(c.capture())")

        // A relay attempt from 127.0.0.7 appears in panel 3 and as a ban counting down in panel 4.
        _ = try scenario(from: "127.0.0.7", "relay", s, "victim@gmail.com")
        c.keys("3")
        let rejections = c.waitFor("127.0.0.7")
        #expect(rejections.contains("127.0.0.7") && rejections.contains("relay"), "\(rejections)")
        c.keys("4")
        let first = c.waitFor("127.0.0.7")
        sleep(2)
        let second = c.capture()
        // The Remaining column: the word after the kind ("auto").
        let countdown = { (screen: String) -> String? in
            guard let row = screen.split(separator: "\n").first(where: { $0.contains("127.0.0.7") }) else { return nil }
            let words = row.split(separator: " ")
            guard let i = words.firstIndex(of: "auto"), i + 1 < words.count else { return nil }
            return String(words[i + 1])
        }
        let (a, b) = (countdown(first), countdown(second))
        #expect(a == "1d00h00m" || a?.hasPrefix("23h59m") == true, "\(first)")
        #expect(b?.hasPrefix("23h59m") == true && a != b, "\(String(describing: a)) → \(String(describing: b))")
        #expect(try greeting(from: "127.0.0.7", s).hasPrefix("554"))

        // u + confirmation lifts it: the address can connect again.
        c.keys("u")
        #expect(c.waitFor("Lift the ban").contains("127.0.0.7"))
        c.keys("y")
        #expect(c.waitFor("unbanned").contains("unbanned"))
        #expect(try greeting(from: "127.0.0.7", s).hasPrefix("220"))

        // A delivered message raises the user's size in panel 5, and its subject is readable by browsing.
        c.keys("5")
        let before = c.waitFor("alice@example.test")
        _ = try scenario("deliver", s, "alice@example.test")
        c.keys("1", "5")
        let after = c.waitFor("alice@example.test")
        let row = { (screen: String) in screen.split(separator: "\n").first { $0.contains("alice@example.test") }.map(String.init) ?? "" }
        #expect(row(before) != row(after), "\(row(before)) vs \(row(after))")
        c.keys("Enter")
        #expect(c.waitFor("INBOX").contains("INBOX"))
        c.keys("Enter")
        #expect(c.waitFor("e2e hello").contains("e2e hello"))
        c.keys("Enter")
        #expect(c.waitFor("Hello from smtplib").contains("Hello from smtplib"))
        // Browsing changed no flag: the file is still unseen in new/.
        #expect(s.messages("alice@example.test").allSatisfy { $0.contains("/new/") })

        // The Log panel has the server's own log lines (formatted on the console's thread).
        c.keys("Escape", "Escape", "Escape", "7")
        let log = c.waitFor("delivered")
        #expect(log.contains("delivered") && log.contains("rejected [relay]"), "\(log)")

        // Resize to 80×24: still legible.
        c.keys("1")
        c.resize(80, 24)
        let small = c.capture()
        var lines = small.split(separator: "\n", omittingEmptySubsequences: false)
        while lines.last?.isEmpty == true { lines.removeLast() }
        #expect(lines.count <= 24)
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(small.contains("Overview") && small.contains("SMTP"), "\(small)")
        holder.cancel()
    }
}
