import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Who is at the other end of a control connection, from the kernel (SO_PEERCRED), not from
/// anything the peer says.
public struct PeerIdentity: Sendable, Equatable, CustomStringConvertible {
    public var uid: uid_t
    public var pid: pid_t

    /// Only the user the server runs as, and root, may steer it.
    public var isPermitted: Bool { uid == 0 || uid == geteuid() }

    public var userName: String {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &pwd, &buffer, buffer.count, &result) == 0, let p = result else { return "uid \(uid)" }
        return String(cString: p.pointee.pw_name)
    }

    public var description: String { "\(userName) (uid \(uid), pid \(pid))" }

    /// The peer of a Unix socket channel; on the channel's event loop the answer is immediate.
    static func of(_ channel: any Channel) -> EventLoopFuture<PeerIdentity> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
        }
        let cred: EventLoopFuture<PeerCredentials> = provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        return cred.map { PeerIdentity(uid: $0.uid, pid: $0.pid) }
    }
}

/// Linux's `struct ucred` (which Glibc's Swift module does not export without _GNU_SOURCE).
struct PeerCredentials: Sendable {
    var pid: pid_t = 0
    var uid: uid_t = 0
    var gid: gid_t = 0
}
