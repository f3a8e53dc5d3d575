import ArgumentParser
import FacteurCore
import FacteurServer
import FacteurStore
import Foundation
import Logging

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server headless (for systemd); logs to stderr.")

    @OptionGroup var options: ConfigOption

    func run() throws {
        let config = try options.load()
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = Logger.Level(rawValue: config.logLevel == "notice" ? "notice" : config.logLevel) ?? .info
            return h
        }
        let logger = Logger(label: "facteur")
        let runtime: Runtime
        do {
            runtime = try Runtime(config: config)
        } catch {
            fail("\(error)")
        }
        runtime.hub.subscribe(EventLog(logger: logger).handle)
        do {
            try runtime.start()
        } catch {
            fail("\(error)")
        }
        logger.notice("Facteur \(FacteurCoreVersion.string) serving \(config.domains.joined(separator: ", ")) as \(config.hostname)\(config.source == nil ? " (built-in default configuration)" : " from \(config.source!)")")
        let signal = SignalWaiter([SIGTERM, SIGINT])
        let which = signal.wait()
        logger.notice("signal \(which): shutting down (messages in flight finish first)")
        runtime.shutdown()
        logger.notice("stopped")
    }
}

/// Blocks until one of the given signals arrives.
final class SignalWaiter: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private var sources: [DispatchSourceSignal] = []
    private var received: Int32 = 0
    private let queue = DispatchQueue(label: "facteur.signals")

    init(_ signals: [Int32]) {
        for s in signals {
            signal(s, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: s, queue: queue)
            src.setEventHandler { [weak self] in
                guard let self else { return }
                if self.received == 0 { self.received = s; self.semaphore.signal() }
            }
            src.resume()
            sources.append(src)
        }
    }

    func wait() -> Int32 {
        semaphore.wait()
        return queue.sync { received }
    }
}
