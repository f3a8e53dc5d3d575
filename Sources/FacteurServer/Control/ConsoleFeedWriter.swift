import FacteurCore
import Foundation
import NIOCore
import Synchronization

/// Sends one watching console its snapshot and then the event frames the recorder batched for
/// every console, from a serial queue of its own (encoding a snapshot never runs on an event
/// loop that serves mail). While the socket cannot take more (the console reads too slowly, or
/// is stopped) nothing is taken from the recorder: its bounded queue fills, overflows, and the
/// console gets a drop count and a new snapshot.
final class ConsoleFeedWriter: Sendable {
    private let channel: any Channel
    private let recorder: ActivityRecorder
    private let service: ControlService
    private let queue = DispatchQueue(label: "facteur.control.feed")
    private let sinkID = Mutex<UInt64?>(nil)

    init(channel: any Channel, recorder: ActivityRecorder, service: ControlService) {
        self.channel = channel
        self.recorder = recorder
        self.service = service
    }

    /// Registers with the recorder and sends the snapshot; events follow.
    func start() {
        queue.async { [self] in
            let (id, activity, recent) = recorder.attach(wake: { [weak self] in self?.writable() })
            sinkID.withLock { $0 = id }
            send(.snapshot(snapshot(activity, recent)))
        }
    }

    /// A new snapshot now (the console asked with `watch` again).
    func resnapshot() {
        queue.async { [self] in
            guard let id = sinkID.withLock({ $0 }), let (activity, recent) = recorder.restart(id) else { return }
            send(.snapshot(snapshot(activity, recent)))
        }
    }

    func stop() {
        queue.async { [self] in
            if let id = sinkID.withLock({ $0 }) { recorder.detach(id) }
        }
    }

    /// A batch is ready, or the socket drained: send what waits.
    func writable() { queue.async { [self] in flush() } }

    private func flush() {
        guard channel.isActive, let id = sinkID.withLock({ $0 }) else { return }
        // Leave the frames with the recorder; `writable()` comes back when the socket drains.
        guard channel.isWritable else { return }
        switch recorder.take(id) {
        case .nothing: break
        case let .frames(frames):
            let channel = self.channel
            channel.eventLoop.execute {
                for f in frames { channel.write(f, promise: nil) }
                channel.flush()
            }
        case let .resnapshot(dropped, activity, recent):
            send(.dropped(count: dropped))
            send(.snapshot(snapshot(activity, recent)))
        }
    }

    private func snapshot(_ activity: ServerActivity, _ recent: [ServerEvent]) -> ControlSnapshot {
        ControlSnapshot(activity: activity, listeners: service.listeners, recentEvents: recent, checklist: service.lastChecklist)
    }

    private func send(_ message: ServerMessage) {
        guard let frame = try? ControlCodec.frame(message) else { return }
        channel.writeAndFlush(ByteBuffer(bytes: frame), promise: nil)
    }
}
