#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FacteurNet

/// Why a socket operation failed; shared by the DNS transport and the router's TCP probe.
package enum SocketFailure: Error, Sendable, Equatable {
    case timedOut
    case refused
    case unreachable(String)
    case closed
    case system(String)
}

#if canImport(Glibc)
private let streamType = Int32(SOCK_STREAM.rawValue)
private let datagramType = Int32(SOCK_DGRAM.rawValue)
private let sendFlags = Int32(MSG_NOSIGNAL)
#else
private let streamType = SOCK_STREAM
private let datagramType = SOCK_DGRAM
private let sendFlags: Int32 = 0
#endif

/// A non-blocking POSIX socket driven by `poll` against a deadline. Every call blocks the
/// calling thread at most until the deadline; the descriptor is closed on deinit.
/// Sendable because its only state is the immutable descriptor (the kernel serialises calls).
package final class PosixSocket: @unchecked Sendable {
    package enum Kind: Sendable { case stream, datagram }

    package let descriptor: Int32

    package init(family: IPAddress, kind: Kind) throws(SocketFailure) {
        let domain = family.isIPv4 ? AF_INET : AF_INET6
        let fd = socket(domain, kind == .stream ? streamType : datagramType, 0)
        guard fd >= 0 else { throw .system(Self.errorText()) }
        descriptor = fd
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        #if canImport(Darwin)
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    deinit { close(descriptor) }

    /// Connects (TCP) or sets the peer (UDP). Waits for a TCP handshake until `deadline`.
    package func connect(to target: SocketAddressText, deadline: ContinuousClock.Instant) throws(SocketFailure) {
        let result = Self.withSockaddr(target) { Glibc_connect(descriptor, $0, $1) }
        if result == 0 { return }
        guard errno == EINPROGRESS else { throw Self.failure(errno) }
        try wait(for: Int16(POLLOUT), until: deadline)
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { throw .system(Self.errorText()) }
        if error != 0 { throw Self.failure(error) }
    }

    /// Binds to a local address and, for streams, listens. Returns the bound port (useful with port 0).
    package func bindAndListen(_ local: SocketAddressText, backlog: Int32 = 16) throws(SocketFailure) -> UInt16 {
        var one: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard Self.withSockaddr(local, { bind(descriptor, $0, $1) }) == 0 else { throw .system(Self.errorText()) }
        var type: Int32 = 0
        var typeLength = socklen_t(MemoryLayout<Int32>.size)
        _ = getsockopt(descriptor, SOL_SOCKET, SO_TYPE, &type, &typeLength)
        if type == streamType { guard listen(descriptor, backlog) == 0 else { throw .system(Self.errorText()) } }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard ok == 0 else { throw .system(Self.errorText()) }
        return Self.port(of: storage)
    }

    /// Accepts one connection, waiting until `deadline`.
    package func accept(until deadline: ContinuousClock.Instant) throws(SocketFailure) -> PosixSocket {
        try wait(for: Int16(POLLIN), until: deadline)
        let fd = Glibc_accept(descriptor)
        guard fd >= 0 else { throw .system(Self.errorText()) }
        return PosixSocket(adopting: fd)
    }

    private init(adopting fd: Int32) {
        descriptor = fd
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }

    /// Sends all of `bytes` (a whole datagram for UDP).
    package func send(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) throws(SocketFailure) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc_send(descriptor, $0.baseAddress, $0.count, sendFlags) }
            if count >= 0 { sent += count; continue }
            let code = errno
            guard code == EAGAIN || code == EWOULDBLOCK || code == EINTR else { throw Self.failure(code) }
            try wait(for: Int16(POLLOUT), until: deadline)
        }
    }

    /// Receives up to `maximum` octets; an empty result means the peer closed the stream.
    package func receive(maximum: Int, until deadline: ContinuousClock.Instant) throws(SocketFailure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count >= 0 { return Array(buffer[0..<count]) }
            let code = errno
            guard code == EAGAIN || code == EWOULDBLOCK || code == EINTR else { throw Self.failure(code) }
            try wait(for: Int16(POLLIN), until: deadline)
        }
    }

    /// Receives one datagram and the address it came from (for loopback test servers).
    package func receiveFrom(maximum: Int, until deadline: ContinuousClock.Instant) throws(SocketFailure) -> ([UInt8], sockaddr_storage, socklen_t) {
        var buffer = [UInt8](repeating: 0, count: maximum)
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in
                withUnsafeMutablePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(descriptor, raw.baseAddress, raw.count, 0, $0, &length) }
                }
            }
            if count >= 0 { return (Array(buffer[0..<count]), storage, length) }
            let code = errno
            guard code == EAGAIN || code == EWOULDBLOCK || code == EINTR else { throw Self.failure(code) }
            try wait(for: Int16(POLLIN), until: deadline)
        }
    }

    /// Sends one datagram to an address previously returned by `receiveFrom`.
    package func sendTo(_ bytes: [UInt8], address: sockaddr_storage, length: socklen_t) {
        var storage = address
        _ = bytes.withUnsafeBytes { raw in
            withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(descriptor, raw.baseAddress, raw.count, 0, $0, length) }
            }
        }
    }

    private func wait(for events: Int16, until deadline: ContinuousClock.Instant) throws(SocketFailure) {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { throw .timedOut }
            let (seconds, attoseconds) = remaining.components
            let milliseconds = min(Int64(Int32.max), seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(milliseconds))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw .system(Self.errorText()) }
        }
    }

    private static func failure(_ code: Int32) -> SocketFailure {
        switch code {
        case ECONNREFUSED: .refused
        case ETIMEDOUT: .timedOut
        case ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL: .unreachable(String(cString: strerror(code)))
        case EPIPE, ECONNRESET: .closed
        default: .system(String(cString: strerror(code)))
        }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }

    package static func withSockaddr<R>(_ target: SocketAddressText, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        if target.address.isIPv4 {
            let octets = target.address.bytes
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = target.port.bigEndian
            withUnsafeMutableBytes(of: &address.sin_addr) { raw in
                for (index, byte) in octets.prefix(4).enumerated() { raw[index] = byte }
            }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        } else {
            let octets = target.address.bytes16
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = target.port.bigEndian
            withUnsafeMutableBytes(of: &address.sin6_addr) { raw in
                for (index, byte) in octets.prefix(16).enumerated() { raw[index] = byte }
            }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }

    private static func port(of storage: sockaddr_storage) -> UInt16 {
        var copy = storage
        return withUnsafePointer(to: &copy) { pointer in
            if Int32(storage.ss_family) == AF_INET {
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
        }
    }
}

// The method names `connect`, `accept` and `send` shadow the C functions inside the class.
private func Glibc_connect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    connect(fd, address, length)
}

private func Glibc_accept(_ fd: Int32) -> Int32 { accept(fd, nil, nil) }

private func Glibc_send(_ fd: Int32, _ pointer: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
    send(fd, pointer, count, flags)
}
