import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The console as a window onto a running server: several at once, coming and going without
/// touching it (issue 14). Real `facteur serve` / `facteur console` processes, consoles in tmux.
@Suite(.serialized)
struct ConsoleAttachEndToEndTests {
    func delivered(_ s: TestServer, _ to: String) throws -> Bool {
        let before = s.messages(to).count
        _ = try scenario("deliver", s, to)
        return s.messages(to).count == before + 1
    }

    func processAlive(_ pid: Int32) -> Bool { pid > 0 && kill(pid, 0) == 0 }

    @Test func twoConsolesAttachSeeEventsAndEachOthersBans() throws {
        guard TestProcess.which("tmux") != nil else { Issue.record("tmux is not installed (scripts/test installs it)"); return }
        let s = try TestServer()
        try s.addUser("alice@example.test")
        try s.start()
        let pid = try #require(s.process?.processIdentifier)
        let a = try ConsoleSession(server: s)
        let b = try ConsoleSession(server: s, args: ["--attach"])
        for c in [a, b] { #expect(c.capture().contains("attached to pid \(pid), up"), "\(c.capture())") }

        // Events reach both: a delivery and a relay attempt (from 127.0.0.5: 127.0.0.1 is never banned).
        #expect(try delivered(s, "alice@example.test"))
        _ = try scenario(from: "127.0.0.5", "relay", s, "victim@gmail.com")
        for c in [a, b] {
            c.keys("7")
            let log = c.waitFor("rejected [relay]")
            #expect(log.contains("delivered") && log.contains("rejected [relay]"), "\(log)")
            c.keys("4")
            #expect(c.waitFor("127.0.0.5/32").contains("127.0.0.5/32"))
        }

        // A ban made in one console appears in the other within a second.
        a.keys("b")
        a.type("192.0.2.99")
        a.keys("Enter", "Enter")
        a.type("seen in a test")
        a.keys("Enter")
        #expect(a.waitFor("192.0.2.99").contains("Confirm"))
        let sent = Date()
        a.send("y")
        let other = b.waitFor("192.0.2.99", timeout: 5)
        let elapsed = Date().timeIntervalSince(sent)
        #expect(other.contains("192.0.2.99"), "\(other)")
        #expect(elapsed < 1, "the ban took \(elapsed) s to reach the other console")
        // The server logged who sent the command.
        let who = String(cString: getpwuid(geteuid()).pointee.pw_name)
        #expect(s.log.contains("control: \(who) (uid \(geteuid())"), "\(s.log)")
        #expect(s.log.contains("ban(network: \"192.0.2.99\""), "\(s.log)")

        // kill -9 of a console: the server goes on delivering, the other console goes on seeing.
        let victim = a.pid
        #expect(processAlive(victim))
        kill(victim, SIGKILL)
        #expect(try delivered(s, "alice@example.test"))
        b.keys("7")
        #expect(b.waitFor("control: console of").contains("detached"))
        // A hang-up of the server's own terminal does not stop it either (it reloads users).
        kill(pid, SIGHUP)
        usleep(300_000)
        #expect(processAlive(pid))
        #expect(try delivered(s, "alice@example.test"))
        #expect(s.log.contains("SIGHUP: users and aliases reloaded"))

        // Quitting an attached console asks nothing and leaves the server running.
        b.keys("q")
        usleep(500_000)
        #expect(!b.isRunning)
        #expect(processAlive(pid))
    }

    @Test func detachFromEmbeddedThenAttachAgain() throws {
        guard TestProcess.which("tmux") != nil else { Issue.record("tmux is not installed (scripts/test installs it)"); return }
        let s = try TestServer()
        try s.addUser("alice@example.test")
        let first = try ConsoleSession(server: s)
        let title = first.waitFor("embedded, pid")
        let pidText = title.components(separatedBy: "embedded, pid ").dropFirst().first?.split(separator: ",").first ?? ""
        let pid = try #require(Int32(pidText), "\(title)")
        #expect(pid != first.pid, "the server is a process of its own")

        // d: the console ends, the server stays.
        first.keys("d")
        usleep(500_000)
        #expect(!first.isRunning)
        #expect(processAlive(pid))
        #expect(try delivered(s, "alice@example.test"))

        // A later console attaches to it, sees what happened before it came (snapshot).
        let again = try ConsoleSession(server: s, args: ["--attach"])
        #expect(again.capture().contains("attached to pid \(pid)"))
        again.keys("7")
        #expect(again.waitFor("delivered").contains("delivered"))
        again.keys("1")
        #expect(again.waitFor("Deliveries 1").contains("Deliveries 1"), "\(again.capture())")

        // --embed refuses while a server runs.
        let r = try s.cli(["console", "--embed"])
        #expect(r.status != 0 && r.err.contains("already running") && r.err.contains("pid \(pid)"), "\(r.err)")

        // The terminal of a console goes away: the server does not notice.
        sh("tmux -L \(again.socket) kill-server")
        usleep(300_000)
        #expect(processAlive(pid))
        #expect(try delivered(s, "alice@example.test"))

        // `facteur stop` ends it gracefully.
        let stop = try s.cli(["stop"])
        #expect(stop.status == 0, "\(stop.err)")
        #expect(!processAlive(pid))
        let none = try s.cli(["console", "--attach"])
        #expect(none.status != 0 && none.err.contains("no Facteur server is running"), "\(none.err)")
    }

    @Test func aClientOfAnotherProtocolVersionGetsAClearMessage() throws {
        let s = try TestServer()
        try s.start()
        let pid = try #require(s.process?.processIdentifier)
        // The console checks the server's hello before anything else (an older console: 1).
        let console = try s.cli(["console", "--attach", "--protocol-version", "1"])
        #expect(console.status != 0)
        #expect(console.err.contains("speaks control protocol 2, this facteur speaks 1"), "\(console.err)")
        // The server refuses a hello of another version, in words, then closes.
        let socket = s.dir + "/data/control.sock"
        let py = try TestProcess.python("control_client.py", [socket, "hello-version", "1"])
        #expect(py.out.contains("server-hello 2 \(pid)"), "\(py.out) \(py.err)")
        #expect(py.out.contains("refused") && py.out.contains("speaks control protocol 2, the client speaks 1"), "\(py.out)")
        #expect(py.out.contains("closed"))
        // The right version is served (an independent client: Python, framed JSON).
        let ok = try TestProcess.python("control_client.py", [socket, "command", #"{"status":{}}"#])
        #expect(ok.out.contains(#""ok": true"#) && ok.out.contains("running"), "\(ok.out) \(ok.err)")
        // The socket is the owner's only.
        var st = stat()
        #expect(stat(socket, &st) == 0 && (st.st_mode & 0o777) == 0o600)
    }

    @Test func aStoppedConsoleLosesEventsNotTheServer() throws {
        guard TestProcess.which("tmux") != nil else { Issue.record("tmux is not installed (scripts/test installs it)"); return }
        let s = try TestServer()
        try s.addUser("alice@example.test")
        try s.start()
        let c = try ConsoleSession(server: s, args: ["--attach"])
        // Ctrl-Z, a frozen terminal: the console reads nothing any more.
        kill(c.pid, SIGSTOP)
        // Far more events than its queue holds (each ban: a command log line and a ban event).
        let socket = s.dir + "/data/control.sock"
        let many = try TestProcess.python("control_client.py", [socket, "ban-many", "6000"], timeout: 300)
        #expect(many.out.contains("banned 6000"), "\(many.out) \(many.err)")
        // Delivery does not wait for it.
        #expect(try delivered(s, "alice@example.test"))
        kill(c.pid, SIGCONT)
        // It hears how many it lost and starts again from a new snapshot: every ban is there.
        let overview = c.waitFor("events dropped")
        #expect(overview.contains("events dropped while this console was too slow"), "\(overview)")
        c.keys("4")
        #expect(c.waitFor("6000 bans").contains("6000 bans"), "\(c.capture())")
    }

    /// The kernel's word on who connects (SO_PEERCRED), not the file mode alone: with the socket
    /// opened to everyone, another user is still refused, in words, and logged.
    @Test func anotherUserIsRefusedByPeerCredentials() throws {
        guard geteuid() == 0, TestProcess.which("setpriv") != nil else { return } // needs root to play another user
        let s = try TestServer()
        try s.start()
        let socket = s.dir + "/data/control.sock"
        for path in [s.dir, s.dir + "/data"] { chmod(path, 0o755) }
        chmod(socket, 0o666)
        let r = try TestProcess.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/env", "python3",
                                                          TestServer.scripts + "/control_client.py", socket, "command", #"{"bans":{}}"#],
                                    env: TestServer.pythonEnvironment)
        #expect(!r.out.contains(#""ok": true"#), "\(r.out)")
        #expect((r.out + r.err).contains("permission denied"), "\(r.out) \(r.err)")
        usleep(200_000)
        #expect(s.log.contains("control: refused") && s.log.contains("uid 65534"), "\(s.log)")
    }
}
