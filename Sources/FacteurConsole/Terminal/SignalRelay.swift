#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The descriptor the signal handler writes to (atomics are safe to read in a handler).
private let relayFD = Atomic<Int32>(-1)

private func relayHandler(_ signo: Int32) {
    let fd = relayFD.load(ordering: .relaxed)
    guard fd >= 0 else { return }
    let saved = errno
    var byte: UInt8 = signo == SIGWINCH ? SelfPipe.resizeByte : signo == SIGTERM ? SelfPipe.terminateByte : SelfPipe.interruptByte
    _ = write(fd, &byte, 1)
    errno = saved
}

/// Turns SIGINT, SIGTERM and SIGWINCH into bytes on the self-pipe, whichever thread receives
/// them. Installed before curses starts, so ncurses does not install its own handlers (its
/// SIGINT/SIGTERM handler would end the process without a graceful server shutdown). The
/// previous handlers come back when the console ends.
struct SignalRelay {
    private var previous: [(Int32, sigaction)] = []
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGWINCH]

    init(pipe: SelfPipe) {
        relayFD.store(pipe.writeFD, ordering: .relaxed)
        for sig in Self.signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = relayHandler
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var old = sigaction()
            if sigaction(sig, &action, &old) == 0 { previous.append((sig, old)) }
        }
        // The server may have blocked these in its threads; this (UI) thread takes them.
        var set = sigset_t()
        sigemptyset(&set)
        for sig in Self.signals { sigaddset(&set, sig) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Puts the previous handlers back.
    mutating func restore() {
        for (sig, old) in previous {
            var o = old
            sigaction(sig, &o, nil)
        }
        previous.removeAll()
        relayFD.store(-1, ordering: .relaxed)
    }

    /// For the server: call before starting other threads so SIGWINCH and SIGINT reach the
    /// console's thread promptly (it unblocks them for itself).
    static func blockInCurrentThread() {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in signals { sigaddset(&set, sig) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }
}
