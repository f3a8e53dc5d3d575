import ArgumentParser
import FacteurConsole
import FacteurCore
import FacteurServer
import FacteurStore
import Foundation
import Synchronization

struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Run the server with the ncurses administration console in the same process.")

    @OptionGroup var options: ConfigOption
    @Option(help: "Colour theme: a name from themes/ (default, light, high-contrast, monochrome) or [console] theme.") var theme: String?

    func run() throws {
        let config = try options.load()
        let themeName = theme ?? config.console.theme
        let loaded: Theme
        do {
            loaded = try Theme.load(name: ConsoleOptions.coloursWanted() ? themeName : "monochrome", searchPaths: Self.themePaths(config))
        } catch {
            fail("\(error)")
        }
        // Nothing may write to stderr while curses owns the terminal: the log goes to a file
        // and to the Log panel (through the event stream).
        let logPath = config.dataDir + "/facteur.log"
        try? MaildirDelivery.mkdirp(config.dataDir)
        let runtime: Runtime
        do { runtime = try Runtime(config: config) } catch { fail("\(error)") }
        let logFile = LogFile(path: logPath)
        runtime.hub.subscribe { logFile.write($0) }
        do { try runtime.start() } catch { fail("\(error)") }
        let backend = RuntimeConsoleBackend(runtime: runtime)
        let box = ExitBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { box.result = .success(try await runConsole(backend: backend, theme: loaded)) }
            catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        runtime.shutdown()
        logFile.flushNow()
        if case .failure(let error) = box.result { fail("\(error)") }
        print("Facteur stopped. Log: \(logPath)")
    }

    /// `themes/` beside the configuration file, beside the binary's package, then system folders.
    static func themePaths(_ config: Config) -> [String] {
        var paths: [String] = []
        if let src = config.source { paths.append(((src as NSString).deletingLastPathComponent) + "/themes") }
        paths.append(FileManager.default.currentDirectoryPath + "/themes")
        // A binary inside a checkout (.build/…/debug/facteur): the repository's themes/.
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            dir = dir.deletingLastPathComponent()
            paths.append(dir.appendingPathComponent("themes").path)
        }
        paths += ["/usr/local/share/facteur/themes", "/usr/share/facteur/themes"]
        return paths
    }
}

final class ExitBox: @unchecked Sendable {
    var result: Result<ConsoleExit, Error>?
}

/// Appends event log lines to a file (console mode: stderr belongs to curses). Formatting and
/// writing happen on a serial queue, never on the event loop that published the event; the
/// publishing thread only appends to a pending batch (one lock); the first event of a batch
/// schedules one write `delay` later, so under load a thread is woken ten times a second rather
/// than once per event (waking it per event cost 8 % of the server's CPU in a delivery flood).
final class LogFile: Sendable {
    private let handle: FileHandle?
    private let queue = DispatchQueue(label: "facteur.console.log")
    private let pending = Mutex<[ServerEvent]>([])
    static let delay: DispatchTimeInterval = .milliseconds(100)
    /// Created once (a formatter per line cost a quarter of the server's CPU); used only on `queue`.
    nonisolated(unsafe) private let formatter = ISO8601DateFormatter()

    init(path: String) {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        handle = FileHandle(forWritingAtPath: path)
        _ = try? handle?.seekToEnd()
    }

    func write(_ event: ServerEvent) {
        guard EventLog.hasInfoLine(event) else { return }
        let first = pending.withLock { p -> Bool in p.append(event); return p.count == 1 }
        if first { queue.asyncAfter(deadline: .now() + Self.delay) { [self] in flush() } }
    }

    /// Writes what is pending now (at exit: nothing logged is lost to the delay).
    func flushNow() { queue.sync { flush() } }

    /// On the queue: formats everything pending and writes it at once.
    private func flush() {
        let events = pending.withLock { p -> [ServerEvent] in let out = p; p.removeAll(keepingCapacity: true); return out }
        var text = ""
        for event in events {
            guard let (level, line) = EventLog.line(for: event), level >= .info else { continue }
            text += "\(formatter.string(from: event.time)) \(level) \(line)\n"
        }
        if !text.isEmpty { handle?.write(Data(text.utf8)) }
    }
}
