#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as raw octets, parsed from and printed to the usual text forms
/// (`192.0.2.1`, `2001:db8::1`; RFC 5952 canonical output via inet_ntop).
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4([UInt8])
    case v6([UInt8])

    /// Parses dotted-quad IPv4 or IPv6 text. A zone suffix (`fe80::1%eth0`) is ignored.
    public init?(_ text: String) {
        let bare = text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
        guard !bare.isEmpty, bare.utf8.count <= 64 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, bare, &v4) == 1 {
            self = .v4(withUnsafeBytes(of: &v4) { Array($0) })
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, bare, &v6) == 1 {
            self = .v6(withUnsafeBytes(of: &v6) { Array($0) })
            return
        }
        return nil
    }

    /// Builds an address from 4 or 16 octets.
    public init?(octets: [UInt8]) {
        switch octets.count {
        case 4: self = .v4(octets)
        case 16: self = .v6(octets)
        default: return nil
        }
    }

    public var octets: [UInt8] {
        switch self {
        case .v4(let bytes), .v6(let bytes): bytes
        }
    }

    public var isIPv4: Bool { if case .v4 = self { true } else { false } }

    /// 127.0.0.0/8 or ::1.
    public var isLoopback: Bool {
        switch self {
        case .v4(let b): b.first == 127
        case .v6(let b): b == [UInt8](repeating: 0, count: 15) + [1]
        }
    }

    /// 169.254.0.0/16 or fe80::/10.
    public var isLinkLocal: Bool {
        switch self {
        case .v4(let b): b.count == 4 && b[0] == 169 && b[1] == 254
        case .v6(let b): b.count == 16 && b[0] == 0xFE && b[1] & 0xC0 == 0x80
        }
    }

    /// 0.0.0.0 or ::.
    public var isUnspecified: Bool { octets.allSatisfy { $0 == 0 } }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        switch self {
        case .v4(var bytes):
            guard bytes.count == 4 else { return "?" }
            return bytes.withUnsafeMutableBytes { raw in
                guard let text = inet_ntop(AF_INET, raw.baseAddress, &buffer, socklen_t(buffer.count)) else { return "?" }
                return String(cString: text)
            }
        case .v6(var bytes):
            guard bytes.count == 16 else { return "?" }
            return bytes.withUnsafeMutableBytes { raw in
                guard let text = inet_ntop(AF_INET6, raw.baseAddress, &buffer, socklen_t(buffer.count)) else { return "?" }
                return String(cString: text)
            }
        }
    }
}
