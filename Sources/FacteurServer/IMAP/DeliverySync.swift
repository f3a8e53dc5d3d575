import FacteurCore
import FacteurMailStore
import NIOPosix

/// SMTP delivers straight into the Maildirs (`MaildirDelivery`); this tells the mail store at
/// once, so that sessions in IDLE on a recipient's INBOX hear of the message within a second
/// instead of at their next command.
enum DeliverySync {
    /// Subscribes to `.delivered` events; returns the hub subscription.
    @discardableResult
    static func start(_ context: ServerContext) -> UInt64 {
        let store = context.mailStore, pool = context.ioPool, hub = context.hub
        return hub.subscribe { event in
            guard case .delivered(let delivery) = event.kind, store.changes.subscriberCount > 0 else { return }
            // The hub calls on the delivering thread, which must not block: sync on the I/O pool.
            pool.submit { state in
                guard case .active = state else { return }
                for owner in Set(delivery.recipients) {
                    do { try store.sync(owner: owner, mailbox: "INBOX") } catch {
                        hub.publish(.log(level: .warning, message: "mail store sync of \(owner) after delivery: \(error)"))
                    }
                }
            }
        }
    }
}
