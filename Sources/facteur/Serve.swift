import ArgumentParser
import FacteurCore
import FacteurServer
import FacteurStore
import Foundation
import Logging

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server headless (for systemd); logs to stderr. `facteur console` attaches to it.")

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
        runtime.onShutdownRequest { signal.trigger() }
        // SIGHUP (a closed terminal, `systemctl reload`) never stops the server: it reloads
        // users and aliases.
        let hangUp = SignalWatcher(SIGHUP) {
            do {
                try runtime.server.context.reloadDirectory()
                logger.notice("SIGHUP: users and aliases reloaded")
            } catch {
                logger.error("SIGHUP: reload failed: \(error)")
            }
        }
        let which = signal.wait()
        hangUp.cancel()
        logger.notice(which == 0 ? "stop requested over the control socket: shutting down (messages in flight finish first)"
                                 : "signal \(which): shutting down (messages in flight finish first)")
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

    /// Ends `wait` as if a signal had come (0 = asked over the control socket).
    func trigger() {
        queue.async { [self] in semaphore.signal() }
    }

    func wait() -> Int32 {
        semaphore.wait()
        return queue.sync { received }
    }
}

/// Runs `action` on each arrival of a signal, which no longer ends the process.
final class SignalWatcher: @unchecked Sendable {  // the source is set once, in init
    private let source: any DispatchSourceSignal

    init(_ signo: Int32, action: @escaping @Sendable () -> Void) {
        signal(signo, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: signo, queue: DispatchQueue(label: "facteur.signal.\(signo)"))
        source.setEventHandler(handler: action)
        source.resume()
    }

    func cancel() { source.cancel() }
}
