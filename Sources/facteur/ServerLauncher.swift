import FacteurServer
import FacteurStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts `facteur serve` as a daemon for a console that found no server running.
///
/// Why a new process and not the console's own: a server inside the console's process would
/// die with it (a closed terminal, a lost SSH session, kill -9) and could not outlive a detach
/// without fork(), which is unsafe once SwiftNIO's threads run (only the forking thread
/// survives in the child, with whatever locks the others held). So the decision is made at
/// start: the same binary is spawned (posix_spawn, no fork of a threaded process) in a session
/// of its own (setsid: no controlling terminal, so no SIGHUP when the terminal closes), with
/// stdin from /dev/null and stdout/stderr appended to `<data_dir>/facteur.log`, default signal
/// handling and an empty signal mask. The console then attaches to it like to any other server;
/// `q` asks it to stop, `d` leaves it running.
enum ServerLauncher {
    struct Failure: Error, CustomStringConvertible { var description: String }
    /// glibc's POSIX_SPAWN_SETSID (spawn.h, glibc ≥ 2.26), which Swift's Glibc module hides behind _GNU_SOURCE.
    static let spawnSetsid: Int32 = 0x80

    /// Spawns the server and waits until its control socket answers; returns the connection.
    static func launch(config: Config, configOption: String?, protocolVersion: Int) throws -> ControlConnection {
        try MaildirDelivery.mkdirp(config.dataDir)
        let logPath = config.dataDir + "/facteur.log"
        let exe = executablePath()
        var args = [exe, "serve"]
        if let src = config.source ?? configOption {
            args += ["--config", URL(fileURLWithPath: src).standardizedFileURL.path]
        }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGHUP, SIGINT, SIGTERM, SIGPIPE, SIGWINCH, SIGQUIT] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(Self.spawnSetsid | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let logStart = (try? FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int) ?? 0
        var pid: pid_t = 0
        var cargs = args.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        let rc = posix_spawn(&pid, exe, &actions, &attr, &cargs, environ)
        guard rc == 0 else { throw Failure(description: "cannot start \(exe) serve: \(String(cString: strerror(rc)))") }

        // Wait for the socket; a server that exits instead (port taken, bad configuration)
        // has said why in the log.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let c = try? ControlConnection(path: config.controlSocketPath, client: "console", version: protocolVersion, timeout: 5),
               c.hello.pid == pid {
                return c
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw Failure(description: "the server did not start:\n" + logTail(logPath, from: logStart))
            }
            usleep(20_000)
        }
        throw Failure(description: "the server did not open its control socket within a minute; its log:\n" + logTail(logPath, from: logStart))
    }

    /// This very binary (also when run through a relative path or `swift run`).
    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    static func logTail(_ path: String, from offset: Int) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "(no log at \(path))" }
        let text = String(decoding: data.dropFirst(offset), as: UTF8.self)
        return text.split(separator: "\n").suffix(10).joined(separator: "\n")
    }

    /// Waits (up to `timeout`) for a process to end.
    static func waitForExit(pid: Int32, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return true }
            if kill(pid, 0) != 0 && errno == ESRCH { return true }
            usleep(50_000)
        }
        return false
    }
}
