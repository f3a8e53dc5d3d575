import Foundation
import FacteurCore
import CNcursesw
import Synchronization
import Testing
@testable import FacteurConsole
#if canImport(Glibc)
import Glibc
#endif

/// Real curses on a pseudo-terminal, no TTY needed. Serialized: curses is process-global.
@Suite(.serialized) struct CursesSmokeTests {
    /// A pseudo-terminal of a given size; `slave` is what curses uses.
    struct PTY {
        var master: Int32 = -1
        var slave: Int32 = -1
        init(rows: Int, columns: Int) throws {
            var ws = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
            guard openpty(&master, &slave, nil, nil, &ws) == 0 else { throw ConsoleError.system("openpty", errno) }
        }
        func send(_ s: String) { _ = s.utf8CString.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count - 1) } }
        func close() { _ = Glibc.close(master); _ = Glibc.close(slave) }
    }

    /// Keeps the pty's output drained so curses never blocks writing; collects what it wrote.
    final class Drain: Sendable {
        let bytes = Mutex<[UInt8]>([])
        init(fd: Int32) {
            let t = Thread { [self] in
                var buf = [UInt8](repeating: 0, count: 4096)
                while true {
                    let n = read(fd, &buf, buf.count)
                    if n <= 0 { break }
                    self.bytes.withLock { $0 += buf[0..<n] }
                }
            }
            t.start()
        }
        var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }
    }

    final class Box: Sendable { let value = Mutex<String?>(nil) }

    /// Waits for a condition another thread makes true, at most `seconds`.
    func eventually(_ seconds: Double = 30, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }

    @Test func drawsFramesReadsKeysAndResizes() throws {
        let pty = try PTY(rows: 24, columns: 80)
        defer { pty.close() }
        let drain = Drain(fd: pty.master)
        _ = drain
        guard let input = fdopen(dup(pty.slave), "r"), let output = fdopen(dup(pty.slave), "w") else { throw ConsoleError.system("fdopen", errno) }
        defer { fclose(input); fclose(output) }
        let term = try CursesTerminal(input: input, output: output, terminalType: "xterm-256color",
                                      theme: Theme.monochrome, colours: true)
        defer { term.end() }
        #expect(term.size == (24, 80))

        var state = ConsoleState(); state.panel = .mailboxes
        state.mailbox.stack = [.users, .folders(user: "u"), .messages(user: "山田太郎@example.jp", folder: "INBOX")]
        state.mailbox.messages = .loaded([MessageSummary(id: "1", date: Fixtures.now, from: "Renée <r@example.fr>",
                                                          subject: "会議の資料について（確認のお願い）とても長い件名です", size: 1, flags: [])])
        let frame = ConsoleScreen.render(model: Fixtures.model, state: state, now: Fixtures.now, rows: 24, columns: 80)
        term.draw(frame)
        // What curses holds is what the presenter made, wide characters included.
        #expect(term.text(row: 0) == frame[0].text)
        #expect(term.text(row: 1) == frame[1].text)
        #expect(term.text(row: 3) == frame[3].text)
        #expect(term.text(row: 3).contains("会議の資料"))

        // Keys as an xterm sends them (keypad mode: arrows are ESC O x).
        pty.send("\u{1B}OA\u{1B}[6~\u{1B}[Z\t\r\u{3}é山q")
        var keys: [Key] = []
        #expect(eventually { keys += term.readKeys(); return keys.count >= 9 })
        #expect(keys == [.up, .pageDown, .backTab, .tab, .enter, .interrupt, .char("é"), .char("山"), .char("q")])

        // The terminal shrinks and grows: curses follows, frames still fit.
        for (rows, columns) in [(30, 100), (24, 80)] {
            _ = facteur_set_terminal_size(pty.master, Int32(rows), Int32(columns))
            term.resize(rows: rows, columns: columns)
            #expect(term.size == (rows, columns))
            let f = ConsoleScreen.render(model: Fixtures.model, state: ConsoleState(), now: Fixtures.now, rows: rows, columns: columns)
            term.draw(f)
            #expect(term.text(row: 0) == f[0].text)
            #expect(term.text(row: rows - 2) == f[rows - 2].text)
        }
    }

    /// The whole loop: starts, shows events, sends a confirmed action to the backend, and quits
    /// only after the confirmation.
    @Test func loopRunsActionsAndQuitsAfterConfirmation() throws {
        let pty = try PTY(rows: 24, columns: 80)
        defer { pty.close() }
        let drain = Drain(fd: pty.master)
        let backend = RecordingBackend()
        let pipe = try SelfPipe()
        defer { pipe.close() }
        let inbox = EventInbox(wake: { pipe.wake() })
        let completions = CompletionQueue(wake: { pipe.wake() })
        backend.subscribe { inbox.post($0) }
        let finished = Box()
        let slave = pty.slave
        let thread = Thread {
            guard let input = fdopen(dup(slave), "r"), let output = fdopen(dup(slave), "w") else {
                finished.value.withLock { $0 = "fdopen failed" }; return
            }
            defer { fclose(input); fclose(output) }
            do {
                let loop = try ConsoleLoop(backend: backend, theme: .monochrome,
                                           options: ConsoleOptions(colours: false, terminalType: "xterm-256color"),
                                           inbox: inbox, completions: completions, pipe: pipe, input: input, output: output, ttyFD: slave)
                let exit = loop.run()
                finished.value.withLock { $0 = "\(exit)" }
            } catch {
                finished.value.withLock { $0 = "\(error)" }
            }
        }
        thread.start()
        // Whatever happens below, stop the curses thread before the terminal goes away.
        defer {
            if finished.value.withLock({ $0 }) == nil {
                pty.send("\u{1b}\u{1b}qy")
                _ = eventually(10) { finished.value.withLock { $0 } != nil }
            }
        }

        #expect(eventually { drain.text.contains("Facteur") })
        backend.emit(ServerEvent(time: Date(), kind: .connectionOpened(Fixtures.info(42, .imap, "192.0.2.42", openedAgo: 0))))
        // Keys and events race through different queues: wait for the row before acting on it.
        pty.send("2")
        #expect(eventually { drain.text.contains("192.0.2.42") })
        pty.send("x")
        #expect(eventually { drain.text.contains("Close connection") })
        pty.send("y")
        #expect(eventually { backend.calls.withLock { $0 } == ["close #42"] })
        pty.send("q")
        #expect(eventually { drain.text.contains("server stops too") })
        #expect(finished.value.withLock { $0 } == nil)
        pty.send("y")
        #expect(eventually { finished.value.withLock { $0 } == "quit" })
    }
}
