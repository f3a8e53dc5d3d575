import ArgumentParser
import FacteurCollect
import FacteurCore
import FacteurServer
import FacteurStore
import Foundation
import Logging

/// `facteur collect [--once]`: fetch mail from the providers' mailboxes (`[[collect]]`).
struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Collect mail from mailboxes at the internet provider ([[collect]] entries) into local mailboxes.",
        discussion: """
            With --once every entry runs once and the command exits (for cron); the exit status is 0 \
            when every entry succeeded. Without --once each entry runs on its interval until SIGTERM \
            or SIGINT. `facteur serve` collects on its own: use this command only without a server, \
            or from cron as the user the server runs as.
            """)

    @OptionGroup var options: ConfigOption
    @Flag(help: "Run every entry once, then exit.") var once = false
    @Option(name: .customLong("entry"), help: "Only the entry with this name (repeatable).") var names: [String] = []
    @Option(help: ArgumentHelp("Pretend the time is this Unix time (tests of keep_days).", visibility: .hidden))
    var now: Double?
    @Option(help: ArgumentHelp("Seconds without an answer before a provider is given up (tests).", visibility: .hidden))
    var readTimeout: Double?

    func run() throws {
        let config = try options.load()
        guard !config.collect.isEmpty else { fail("no [[collect]] entries in \(config.source ?? "the built-in configuration")") }
        let entries = names.isEmpty ? config.collect : config.collect.filter { names.contains($0.name) }
        for name in names where !config.collect.contains(where: { $0.name == name }) { fail("no [[collect]] entry named \"\(name)\"") }
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = Logger.Level(rawValue: config.logLevel) ?? .info
            return h
        }
        let hub = EventHub()
        hub.subscribe(EventLog(logger: Logger(label: "facteur.collect")).handle)
        var limits = CollectLimits.standard
        if let readTimeout, readTimeout > 0 { limits.readTimeout = readTimeout }
        let standalone = StandaloneCollector(config: config, database: openDatabase(config), hub: hub, limits: limits)
        defer { standalone.shutdown() }
        let fixed = now.map { Date(timeIntervalSince1970: $0) }
        let clock: @Sendable () -> Date = { fixed ?? Date() }
        if once {
            let reports = standalone.runOnce(entries, now: clock)
            for report in reports { print(report.summary) }
            if !reports.allSatisfy(\.succeeded) { throw ExitCode.failure }
            return
        }
        let scheduler = CollectScheduler(collector: standalone.collector, entries: entries, clock: clock, limits: limits)
        let signals = SignalWaiter([SIGTERM, SIGINT])
        scheduler.start()
        _ = signals.wait()
        scheduler.stop()
    }
}
