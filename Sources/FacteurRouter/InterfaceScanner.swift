#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FacteurDNS
import FacteurNet

/// Lists this machine's addresses with getifaddrs(3), skipping loopback and interfaces that are down.
public enum InterfaceScanner {
    public static func lanAddresses() -> [LANAddress] {
        var head: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&head) == 0 else { return [] }
        defer { freeifaddrs(head) }
        var found: [LANAddress] = []
        var cursor = head
        while let entry = cursor?.pointee {
            defer { cursor = entry.ifa_next }
            let flags = Int32(bitPattern: entry.ifa_flags)
            guard flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0,
                  let socketAddress = entry.ifa_addr, let address = ipAddress(socketAddress),
                  !address.isLoopback else { continue }
            let prefix = entry.ifa_netmask.flatMap(ipAddress).map { $0.bytes.reduce(0) { $0 + $1.nonzeroBitCount } }
            found.append(LANAddress(interface: String(cString: entry.ifa_name), address: address, prefixLength: prefix))
        }
        return found
    }

    static func ipAddress(_ pointer: UnsafeMutablePointer<sockaddr>) -> IPAddress? {
        switch Int32(pointer.pointee.sa_family) {
        case AF_INET:
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { inet in
                var raw = inet.pointee.sin_addr
                return IPAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) })
            }
        case AF_INET6:
            return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { inet6 in
                var raw = inet6.pointee.sin6_addr
                return IPAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) })
            }
        default:
            return nil
        }
    }
}
