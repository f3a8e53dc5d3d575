import FacteurCollect
import Foundation
import NIOCore

/// Mail collection inside the running server: its delivery, event hub, I/O pool and directory snapshot.
extension CollectScheduler {
    convenience init(context: ServerContext, group: any EventLoopGroup, clock: @escaping @Sendable () -> Date) {
        let collector = Collector(config: context.config, delivery: context.delivery, hub: context.hub, group: group,
                                  ioPool: context.ioPool, directory: { [context] in context.directory })
        self.init(collector: collector, entries: context.config.collect, clock: clock)
    }
}
