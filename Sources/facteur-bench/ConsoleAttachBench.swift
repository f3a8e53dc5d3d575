import ArgumentParser
import FacteurConsole
import FacteurCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Attach-to-first-paint: connect to a running server's control socket, say hello, `watch`,
/// receive and decode the snapshot, build the console's model from it and render the Overview —
/// everything a console does before its first frame except writing it to the terminal.
struct ConsoleAttachBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console-attach",
        abstract: "Time from connecting to a running server's control socket to the console's first frame (snapshot decoded, model built, Overview rendered).")

    @Option(help: "The server's control socket (<data_dir>/control.sock).") var socket: String
    @Option(help: "First add this many bans through the socket (192.0.2.0/24 … upwards).") var populateBans = 0
    @Option(help: "First add this many users u<N>@<domain> through the socket.") var populateUsers = 0
    @Option(help: "Domain of the added users.") var domain = "example.test"
    @Option var rounds = 20

    func run() throws {
        if populateBans > 0 || populateUsers > 0 {
            let c = try ControlSocket(path: socket)
            var commands: [ControlCommand] = []
            for i in 0..<populateBans {
                commands.append(.ban(network: "10.\(i / 65536 % 256).\(i / 256 % 256).\(i % 256)", duration: nil, permanent: false, reason: "bench \(i)"))
            }
            for i in 0..<populateUsers { commands.append(.addUser(address: "u\(i)@\(domain)", password: "bench-password-\(i)")) }
            let start = Date()
            let failed = try c.pipeline(commands, window: ControlLimits.requestsInFlight)
            print(String(format: "populated %d bans and %d users in %.1f s (%d failed)", populateBans, populateUsers, Date().timeIntervalSince(start), failed))
        }
        var times: [Double] = []
        var bans = 0, bytes = 0
        for _ in 0..<rounds {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let c = try ControlSocket(path: socket)
            try c.send(.request(id: 1, command: .watch))
            var snapshot: ControlSnapshot?
            while snapshot == nil {
                let (message, size) = try c.read()
                if case let .snapshot(s) = message { snapshot = s; bytes = size }
            }
            var model = ConsoleModel(snapshot: snapshot!.activity)
            model.replaceListeners(snapshot!.listeners)
            for e in snapshot!.recentEvents { if case let .log(level, text) = e.kind { model.appendLog(LogLine(time: e.time, level: level, message: text)) } }
            let lines = ConsoleScreen.render(model: model, state: ConsoleState(), now: Date(), rows: 40, columns: 120)
            let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
            precondition(!lines.isEmpty)
            bans = model.bans.count
            times.append(ms)
        }
        times.sort()
        print(String(format: "console-attach: %d bans, snapshot %.1f KiB: first frame median %.1f ms, max %.1f ms (%d rounds)",
                     bans, Double(bytes) / 1024, times[times.count / 2], times.last ?? 0, rounds))
        // The Mailboxes panel's first list (sizes of every user's Maildir).
        let c = try ControlSocket(path: socket)
        let t0 = DispatchTime.now().uptimeNanoseconds
        try c.send(.request(id: 2, command: .users))
        while true {
            if case let .reply(_, r) = try c.read().0 {
                print(String(format: "console-attach: users list (%d users with sizes) in %.1f ms", r.users?.count ?? 0,
                             Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6))
                break
            }
        }
    }
}

/// A blocking control-protocol client with its own framing code (the bench uses the codec of
/// FacteurCore, not the server's client).
final class ControlSocket {
    let fd: Int32
    var decoder = ControlFrame.Decoder(limit: ControlLimits.serverFrameBytes)

    init(path: String) throws {
        fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { p in for (i, b) in path.utf8.enumerated() where i < p.count - 1 { p[i] = b } }
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        guard rc == 0 else { close(fd); throw BenchError("connect \(path): \(String(cString: strerror(errno)))") }
        guard case .hello = try read().0 else { throw BenchError("no hello") }
        try send(.hello(ClientHello(client: "bench")))
    }

    deinit { close(fd) }

    func send(_ m: ClientMessage) throws {
        let frame = try ControlCodec.frame(m)
        var off = 0
        while off < frame.count {
            let n = frame.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + off, frame.count - off, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw BenchError("write failed") }
            off += n
        }
    }

    func read() throws -> (ServerMessage, Int) {
        var buf = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            if let f = try decoder.next() { return (try ControlCodec.decode(ServerMessage.self, from: f), f.count) }
            let n = recv(fd, &buf, buf.count, 0)
            guard n > 0 else { throw BenchError("the server closed the connection") }
            decoder.append(buf[0..<n])
        }
    }

    /// Sends commands keeping at most `window` unanswered; returns how many failed.
    func pipeline(_ commands: [ControlCommand], window: Int) throws -> Int {
        var next = 0, answered = 0, failed = 0
        while answered < commands.count {
            while next < commands.count && next - answered < window {
                try send(.request(id: UInt64(next + 1), command: commands[next]))
                next += 1
            }
            if case let .reply(_, r) = try read().0 {
                answered += 1
                if !r.ok { failed += 1 }
            }
        }
        return failed
    }
}
