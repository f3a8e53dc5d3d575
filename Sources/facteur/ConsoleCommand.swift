import ArgumentParser
import FacteurConsole
import FacteurCore
import FacteurServer
import FacteurStore
import Foundation

struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "The ncurses console: attaches to the running server, or starts one when none runs.",
        discussion: """
        With a server running for this configuration (`facteur serve`, systemd), the console \
        attaches to it over <data_dir>/control.sock; quitting leaves the server running. With \
        none, it starts one in the background and shows it ("embedded"): q stops it, d detaches \
        and leaves it running (log: <data_dir>/facteur.log); a later `facteur console` attaches.
        """)

    @OptionGroup var options: ConfigOption
    @Option(help: "Colour theme: a name from themes/ (default, light, high-contrast, monochrome) or [console] theme.") var theme: String?
    @Flag(help: "Only attach to a running server (an error if none runs).") var attach = false
    @Flag(help: "Only start a server of its own (an error if one runs already).") var embed = false
    @Option(help: .hidden) var protocolVersion: Int = ControlProtocol.version

    func validate() throws {
        if attach && embed { throw ValidationError("--attach and --embed exclude each other") }
    }

    func run() throws {
        let config = try options.load()
        let themeName = theme ?? config.console.theme
        let loaded: Theme
        do {
            loaded = try Theme.load(name: ConsoleOptions.coloursWanted() ? themeName : "monochrome", searchPaths: Self.themePaths(config))
        } catch {
            fail("\(error)")
        }
        let path = config.controlSocketPath
        let logPath = config.dataDir + "/facteur.log"
        var mode = ConsoleAttachment.Mode.attached
        var connection: ControlConnection
        do {
            connection = try ControlConnection(path: path, client: "console", version: protocolVersion)
            if embed { fail("a Facteur server is already running for this configuration (pid \(connection.hello.pid)): run `facteur console` without --embed to attach to it") }
        } catch let e where e.kind == .noServer {
            if attach { fail("no Facteur server is running for this configuration (no answer on \(path)): start one with `facteur serve` (or `systemctl start facteur`), or run `facteur console` without --attach") }
            do {
                connection = try ServerLauncher.launch(config: config, configOption: options.config, protocolVersion: protocolVersion)
            } catch {
                fail("\(error)")
            }
            mode = .embedded
        } catch {
            fail("\(error)")
        }
        let backend = ControlConsoleBackend(connection: connection, mode: mode, config: config)
        let pid = connection.hello.pid
        let box = ExitBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { box.result = .success(try await runConsole(backend: backend, theme: loaded)) }
            catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        switch box.result {
        case .success(.quit) where mode == .embedded:
            let r = connection.requestBlocking(.shutdown)
            guard r.ok else { fail("the server did not stop: \(r.message)") }
            if !ServerLauncher.waitForExit(pid: pid, timeout: 45) { fail("the server (pid \(pid)) is still stopping; see \(logPath)") }
            print("Facteur stopped. Log: \(logPath)")
        case .success(.quit), .success(.detached):
            print("Detached. The server keeps running as pid \(pid) (log: \(logPath)); `facteur console` attaches again.")
        case .success(.disconnected(let why)):
            fail("the connection to the server ended: \(why)")
        case .success(.terminated), .success(.terminalClosed), nil:
            break
        case .failure(let error):
            fail("\(error)")
        }
        connection.close()
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
