import ArgumentParser
import FacteurMailStore
import Foundation

struct IndexBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Mailbox index: first indexing of N Maildir files, SELECT, UID FETCH 1:* (FLAGS), rescan, flag changes.")

    @Option var messages = 100_000
    @Option(help: "Scratch folder (created, then removed).") var directory = NSTemporaryDirectory() + "facteur-index-bench"

    func run() throws {
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let r = try MailStoreBenchmark.run(messages: messages, directory: directory)
        print("index: \(r)")
    }
}
