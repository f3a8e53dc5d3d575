import ArgumentParser
import FacteurRouter
import FacteurServer
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Router port-forward and DNS checklist: is this server reachable from the internet?",
        discussion: "Exit status 0 when every required item passes, 1 otherwise.")

    @OptionGroup var options: ConfigOption
    @Flag(help: "Print the checklist as JSON (schema facteur.router-checklist/1).") var json = false
    @Flag(help: "Use ASCII marks instead of ✔ ✘ ?.") var ascii = false

    func run() throws {
        let config = try options.load()
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.list = await RouterCheck.run(config)
            done.signal()
        }
        done.wait()
        guard let list = box.list else { throw ExitCode.failure }
        if json { print(try ChecklistJSON.string(list, pretty: true)) }
        else { print(ChecklistTextRenderer.text(for: list, ascii: ascii), terminator: "") }
        throw ExitCode(list.exitCode)
    }
}

final class ResultBox: @unchecked Sendable {
    var list: Checklist?
}
