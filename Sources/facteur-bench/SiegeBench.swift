import ArgumentParser
import Foundation
import Synchronization

/// Issue #12's attack figures: a legitimate delivery while idle and trickling connections hold
/// the server, and password guesses per address per minute.
struct SiegeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "siege",
        abstract: "Hold N idle and M trickling SMTP connections from many 127.x addresses, then time one delivery; print the server's RSS.")

    @OptionGroup var server: ServerOptions<SMTPService>
    @Option(help: "Idle connections (greeted, then silent).") var idle = 1000
    @Option(help: "Connections that send one byte of an unfinished EHLO every second.") var trickling = 100
    @Option(help: "Connections per source address (under the server's per-address limit).") var perAddress = 17
    @Option(help: "Recipient of the timed delivery (a local user).") var to = "bench@example.test"
    @Option(help: "Source address of the timed delivery.") var client = "127.0.0.2"
    @Option(help: "Server process id: print its RSS.") var pid: Int32?

    func run() throws {
        var held: [LineSocket] = []
        var refused = 0
        func source(_ i: Int) -> String { "127.1.\(i / perAddress / 250).\(1 + (i / perAddress) % 250)" }
        for i in 0..<(idle + trickling) {
            guard let c = try? LineSocket(host: server.host, port: server.port, source: source(i)), let code = try? c.readReply() else {
                refused += 1
                continue
            }
            if code == 220 { held.append(c) } else { refused += 1 }
        }
        print("siege: \(held.count) connections open (\(refused) refused or not greeted)")
        let tricklers = Array(held.suffix(trickling))
        let done = Atomic<Bool>(false)
        let result = Mutex<(String, TimeInterval, Int?)>(("not run", 0, nil))
        // Thread 0 trickles one byte a second on every trickling connection; thread 1 waits 2 s,
        // then delivers one message and times it.
        parallelThreads(2) { i in
            if i == 0 {
                let text = Array("EHLO trickling.example.test".utf8)
                var n = 0
                while !done.load(ordering: .relaxed) {
                    for t in tricklers { try? t.send([text[n % text.count]]) }
                    n += 1
                    for _ in 0..<10 where !done.load(ordering: .relaxed) { Thread.sleep(forTimeInterval: 0.1) }
                }
                return
            }
            Thread.sleep(forTimeInterval: 2)
            let rss = pid.flatMap(IdleBench.rssKiB)
            let start = Date()
            let outcome: String
            do {
                let c = try LineSocket(host: server.host, port: server.port, source: client)
                let greeting = try c.readReply()
                guard greeting == 220 else { throw BenchError("greeting \(greeting)") }
                for (command, want) in [("EHLO bench.test", 250), ("MAIL FROM:<bench@remote.test>", 250), ("RCPT TO:<\(to)>", 250), ("DATA", 354)] {
                    try c.send(command + "\r\n")
                    let code = try c.readReply()
                    guard code == want else { throw BenchError("\(command): \(code)") }
                }
                try c.send("Subject: through the siege\r\n\r\nhello\r\n.\r\n")
                let code = try c.readReply()
                outcome = code == 250 ? "delivered (250)" : "refused (\(code))"
                try? c.send("QUIT\r\n")
            } catch {
                outcome = "failed: \(error)"
            }
            result.withLock { $0 = (outcome, Date().timeIntervalSince(start), rss) }
            done.store(true, ordering: .relaxed)
        }
        let (outcome, elapsed, rssBefore) = result.withLock { $0 }
        print(String(format: "siege: delivery from %@ %@ in %.0f ms (connect to 250)", client, outcome, elapsed * 1000))
        if let rss = rssBefore { print("siege: server RSS \(rss) KiB with the connections open") }
        Thread.sleep(forTimeInterval: 1)
        let stillOpen = held.filter { (try? $0.pollClosed()) == false }.count
        print("siege: \(stillOpen) of \(held.count) held connections still open after the delivery")
    }
}

struct GuessBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guess",
        abstract: "Guess POP3 passwords from one address on N connections opened in advance; report guesses verified (answered -ERR [AUTH]) per minute.")

    @OptionGroup var server: ServerOptions<POP3Service>
    @Option(help: "Connections opened in advance from the source address.") var connections = 20
    @Option(help: "Seconds to guess.") var seconds = 60
    @Option var user = "bench@example.test"
    @Option var source = "127.0.0.9"

    func run() throws {
        var conns: [LineSocket] = []
        for _ in 0..<connections {
            let c = try LineSocket(host: server.host, port: server.port, source: source)
            _ = try c.readLine()
            conns.append(c)
        }
        let verified = Atomic<Int>(0)
        let ends = Mutex<[String: Int]>([:])
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        let start = Date()
        // A connection the server closes is opened again from the same address (as an attacker
        // would), until the server refuses it or the time is up.
        parallelThreads(conns.count) { i in
            var c = conns[i]
            var k = 0
            var end = "time up"
            while Date() < deadline {
                do {
                    try c.send("USER \(user)\r\n")
                    let u = try c.readLine()
                    guard u.hasPrefix("+OK") else { throw BenchError(u) }
                    try c.send("PASS guess-\(i)-\(k)\r\n")
                    k += 1
                    let answer = try c.readLine()
                    guard answer.hasPrefix("-ERR [AUTH]") else { throw BenchError(answer) }
                    verified.add(1, ordering: .relaxed)
                } catch {
                    guard let again = try? LineSocket(host: server.host, port: server.port, source: source),
                          let greeting = try? again.readLine(), greeting.hasPrefix("+OK") else {
                        end = "reconnect refused"
                        break
                    }
                    c = again
                }
            }
            ends.withLock { $0[end, default: 0] += 1 }
        }
        let elapsed = Date().timeIntervalSince(start)
        let n = verified.load(ordering: .relaxed)
        print(String(format: "guess: %d wrong passwords verified in %.1f s from %@ on %d connections: %.1f per minute",
                     n, elapsed, source, conns.count, Double(n) * 60 / max(elapsed, 1)))
        for (end, count) in ends.withLock({ $0 }).sorted(by: { $0.value > $1.value }) { print("guess: \(count) connections ended: \(end)") }
    }
}
