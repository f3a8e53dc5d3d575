import ArgumentParser
import FacteurCore
import FacteurServer
import Foundation

/// `facteur stop`: asks the running server to stop gracefully, over the control socket.
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the running server gracefully (messages in flight finish first).")
    @OptionGroup var options: ConfigOption

    func run() throws {
        let config = try options.load()
        let connection: ControlConnection
        do { connection = try ControlConnection(path: config.controlSocketPath, client: "cli") } catch { fail("\(error)") }
        let pid = connection.hello.pid
        let r = connection.requestBlocking(.shutdown)
        connection.close()
        guard r.ok else { fail(r.message) }
        guard ServerLauncher.waitForExit(pid: pid, timeout: 45) else { fail("pid \(pid) is still stopping") }
        print("stopped (pid \(pid))")
    }
}
