import Synchronization

/// Backend answers waiting for the UI thread. Unbounded on purpose: there is at most one per
/// admin action or panel load, and none may be lost.
final class CompletionQueue: Sendable {
    private let items = Mutex<[Completion]>([])
    private let wake: @Sendable () -> Void

    init(wake: @escaping @Sendable () -> Void) { self.wake = wake }

    func post(_ c: Completion) {
        items.withLock { $0.append(c) }
        wake()
    }

    func drain() -> [Completion] {
        items.withLock { q in
            let out = q
            q.removeAll()
            return out
        }
    }
}
