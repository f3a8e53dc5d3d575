import FacteurCore
import FacteurStore
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Collection outside the server (`facteur collect`): its own event loop and I/O pool, the
/// users and aliases read from the database at each run.
public final class StandaloneCollector: Sendable {
    public let collector: Collector
    private let group: MultiThreadedEventLoopGroup
    private let pool: NIOThreadPool

    public init(config: Config, database: FacteurDatabase, hub: EventHub, limits: CollectLimits = .standard) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        collector = Collector(config: config, delivery: MaildirDelivery(mailRoot: config.mailRoot, hostname: config.hostname),
                              hub: hub, group: group, ioPool: pool,
                              directory: { try database.directory(domains: config.domains) }, limits: limits)
    }

    /// Every entry once; blocks the calling thread (not one of the task pool's) until done.
    public func runOnce(_ entries: [Config.Collect], now: @escaping @Sendable () -> Date) -> [CollectReport] {
        let box = ReportsBox()
        let done = DispatchSemaphore(value: 0)
        let collector = self.collector
        Task {
            let reports = await collector.runAll(entries, now: now)
            box.set(reports)
            done.signal()
        }
        done.wait()
        return box.get()
    }

    public func shutdown() {
        try? pool.syncShutdownGracefully()
        try? group.syncShutdownGracefully()
    }
}

private final class ReportsBox: Sendable {
    private let reports = Mutex<[CollectReport]>([])
    func set(_ value: [CollectReport]) { reports.withLock { $0 = value } }
    func get() -> [CollectReport] { reports.withLock { $0 } }
}
