import Foundation
import FacteurCore
import CNcursesw
#if canImport(Glibc)
import Glibc
#endif

/// The loop that owns curses: wait on the terminal and the self-pipe, fold in events and
/// backend answers, hand keys to the controller, carry out its effects, draw.
final class ConsoleLoop {
    private let backend: any ConsoleBackend
    private let options: ConsoleOptions
    private let inbox: EventInbox
    private let completions: CompletionQueue
    private let pipe: SelfPipe
    private let terminal: CursesTerminal
    private let inputFD: Int32
    private let ttyFD: Int32
    private var signals: SignalRelay
    private var model: ConsoleModel
    private var state: ConsoleState
    private var lastBanRefresh = Date.distantPast
    /// At most 10 frames a second for server events (keys redraw at once): enough for a person
    /// to follow, and a flood of events costs the server's CPU little.
    static let minimumFrameInterval: TimeInterval = 1.0 / 10

    init(backend: any ConsoleBackend, theme: Theme, options: ConsoleOptions, inbox: EventInbox,
         completions: CompletionQueue, pipe: SelfPipe, input: UnsafeMutablePointer<FILE>,
         output: UnsafeMutablePointer<FILE>, ttyFD: Int32) throws(ConsoleError) {
        self.backend = backend
        self.options = options
        self.inbox = inbox
        self.completions = completions
        self.pipe = pipe
        self.inputFD = fileno(input)
        self.ttyFD = ttyFD
        // Before curses starts, so that ncurses keeps its hands off SIGINT and SIGWINCH.
        signals = SignalRelay(pipe: pipe)
        do {
            terminal = try CursesTerminal(input: input, output: output, terminalType: options.terminalType,
                                          theme: theme, colours: options.colours)
        } catch {
            signals.restore()
            throw error
        }
        model = ConsoleModel(startTime: backend.startTime)
        model.attachment = backend.attachment
        state = ConsoleState(showBodies: backend.showBodies)
    }

    func run() -> ConsoleExit {
        defer {
            terminal.end()
            signals.restore()
        }
        // The snapshot (listeners, bans, activity, log) comes with the subscription; mailbox
        // sizes follow in a request of their own, so the first frame never waits for a scan of
        // every Maildir.
        start(.load(.mailboxUsers))
        var running = true
        var exit = ConsoleExit.quit
        var dirty = true
        // Keys redraw at once; server events at most every `minimumFrameInterval`, so a flood of
        // events costs a bounded number of frames.
        var urgent = true
        var lastTick = Date()
        var lastDraw = Date.distantPast
        while running {
            let now = Date()
            let tickDue = now.timeIntervalSince(lastTick) >= options.tick
            let frameAllowed = urgent || now.timeIntervalSince(lastDraw) >= Self.minimumFrameInterval
            if (dirty && frameAllowed) || tickDue {
                if tickDue { lastTick = now }
                let (rows, columns) = terminal.size
                state.pageHeight = ConsoleScreen.pageHeight(rows: rows)
                state.pageWidth = columns
                terminal.draw(ConsoleScreen.render(model: model, state: state, now: now, rows: rows, columns: columns))
                dirty = false
                urgent = false
                lastDraw = now
            }
            // Sleep until a key, a wake-up, the next tick, or the next allowed frame.
            var wait = max(0, options.tick - Date().timeIntervalSince(lastTick))
            if dirty {
                // A frame is owed: sleep until its slot; events meanwhile wait without waking us.
                wait = min(wait, max(0, Self.minimumFrameInterval - Date().timeIntervalSince(lastDraw)))
            } else if inbox.arm() {
                wait = 0 // events arrived since the drain: do not sleep
            }
            var fds = [pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: pipe.readFD, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 2, Int32(min(60_000, wait * 1000 + 1)))

            var keys: [Key] = []
            for byte in pipe.drain() {
                if byte == SelfPipe.resizeByte { keys.append(.resize) }
                if byte == SelfPipe.interruptByte { keys.append(.interrupt) }
                // SIGTERM: the system wants the process to stop; no question asked.
                if byte == SelfPipe.terminateByte { running = false; exit = .terminated }
            }
            keys += terminal.readKeys()
            if (fds[0].revents & Int16(POLLHUP | POLLERR)) != 0 { running = false; exit = .terminalClosed }

            let batch = inbox.drainBatch()
            if !batch.isEmpty {
                if let snapshot = batch.snapshot { start(from: snapshot) }
                for e in batch.events { apply(e) }
                model.droppedEvents += batch.droppedHere + batch.droppedByServer
                // Events lost here (the screen was too slow): the model is stale, start again.
                if batch.droppedHere > 0 { backend.refresh() }
                if let why = batch.disconnected { running = false; exit = .disconnected(why) }
                dirty = true
            }
            for c in completions.drain() {
                for effect in state.receive(c, model: &model) {
                    if effect == .detach { exit = .detached }
                    if !carryOut(effect) { running = false }
                }
                dirty = true
                urgent = true
            }
            for key in keys {
                dirty = true
                urgent = true
                if key == .resize { resize(); continue }
                for effect in state.handle(key, model: model, now: Date()) {
                    if effect == .detach { exit = .detached }
                    if !carryOut(effect) { running = false }
                }
            }
            if state.panel == .blacklist, Date().timeIntervalSince(lastBanRefresh) >= options.banRefresh {
                lastBanRefresh = Date()
                start(.load(.bans))
            }
        }
        return exit
    }

    /// A snapshot replaces what the model knew of the server; its recent events refill the log.
    private func start(from snapshot: ControlSnapshot) {
        model.replaceActivity(snapshot.activity)
        model.replaceListeners(snapshot.listeners)
        model.clearLog()
        for e in snapshot.recentEvents { appendLog(for: e) }
        if let c = snapshot.checklist { state.router = .loaded(c) }
    }

    private func appendLog(for event: ServerEvent) {
        if case let .log(level, message) = event.kind {
            model.appendLog(LogLine(time: event.time, level: level, message: message))
        } else if let line = backend.logLine(for: event) {
            model.appendLog(LogLine(time: event.time, level: line.level, message: line.text))
        }
    }

    private func apply(_ event: ServerEvent) {
        if case .log = event.kind {} else { model.apply(event) }
        appendLog(for: event)
        let address: String?
        switch event.kind {
        case let .connectionOpened(info): address = info.remoteAddress
        case let .rejected(r): address = r.remoteAddress
        default: address = nil
        }
        if let address, model.country(of: address) == nil {
            model.noteCountry(backend.country(of: address) ?? "--", for: address)
        }
    }

    private func resize() {
        var rows: Int32 = 0, columns: Int32 = 0
        if facteur_terminal_size_fd(ttyFD, &rows, &columns) { terminal.resize(rows: Int(rows), columns: Int(columns)) }
    }

    /// False = quit.
    private func carryOut(_ effect: ConsoleEffect) -> Bool {
        switch effect {
        case .quit, .detach: return false
        case .repaint: terminal.repaintAll()
        case .perform, .load: start(effect)
        }
        return true
    }

    /// Backend calls run in tasks; their answers come back through the completion queue.
    private func start(_ effect: ConsoleEffect) {
        let backend = self.backend
        let completions = self.completions
        let showBodies = state.showBodies
        switch effect {
        case let .perform(cmd):
            Task { completions.post(.performed(cmd, await BackendCalls.perform(cmd, on: backend))) }
        case let .load(request):
            Task { completions.post(await BackendCalls.load(request, from: backend, showBodies: showBodies)) }
        case .quit, .detach, .repaint:
            break
        }
    }
}
