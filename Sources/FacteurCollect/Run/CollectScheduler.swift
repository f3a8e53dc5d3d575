import FacteurStore
import Foundation
import NIOCore
import Synchronization

/// Runs every `[[collect]]` entry on its `interval` while the server runs (the first run right
/// away). Runs of one entry never overlap; a run in progress when the server stops is cut
/// short, which the ledger makes safe.
public final class CollectScheduler: Sendable {
    private let collector: Collector
    private let entries: [Config.Collect]
    private let clock: @Sendable () -> Date
    private let limits: CollectLimits
    private let tasks = Mutex<[Task<Void, Never>]>([])

    public init(collector: Collector, entries: [Config.Collect], clock: @escaping @Sendable () -> Date = { Date() },
                limits: CollectLimits = .standard) {
        self.collector = collector; self.entries = entries; self.clock = clock; self.limits = limits
    }

    public func start() {
        let duplicates = Collector.duplicateNames(entries)
        var started: [Task<Void, Never>] = []
        for entry in entries {
            if duplicates.contains(entry.name) {
                collector.hub.publish(.log(level: .error, message: "collect \(entry.name): several [[collect]] entries have this name; none of them runs"))
                continue
            }
            let interval = max(entry.interval, limits.minimumInterval)
            collector.hub.publish(.log(level: .info, message: "collect \(entry.name): every \(DurationText.format(interval)) from \(entry.proto.uppercased()) \(entry.host):\(entry.port) for \(entry.recipient)"))
            let collector = self.collector, clock = self.clock
            started.append(Task {
                while !Task.isCancelled {
                    _ = await collector.run(entry, now: clock())
                    try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
                }
            })
        }
        tasks.withLock { $0 += started }
    }

    /// Cancels the loops and waits (at most `shutdownGrace`) for runs in progress to stop.
    /// Call it from a thread outside the task pool (the server's shutdown path).
    public func stop() {
        let running = tasks.withLock { t -> [Task<Void, Never>] in let x = t; t = []; return x }
        guard !running.isEmpty else { return }
        for task in running { task.cancel() }
        let done = DispatchSemaphore(value: 0)
        Task {
            for task in running { await task.value }
            done.signal()
        }
        _ = done.wait(timeout: .now() + limits.shutdownGrace)
    }
}
