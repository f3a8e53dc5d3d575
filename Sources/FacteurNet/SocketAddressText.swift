/// An IP address and port as written in configuration: `127.0.0.1:53`, `[::1]:5353`, or a
/// bare address that takes a default port. Host names are not accepted: a nameserver or a
/// probe target must be a literal address so that nothing is resolved behind the caller's back.
public struct SocketAddressText: Sendable, Hashable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// Parses `host:port`, `[v6]:port`, `host` or `v6` (the last two with `defaultPort`).
    public init?(_ text: String, defaultPort: UInt16? = nil) {
        let trimmed = text.trimmingWhitespace
        var hostText = trimmed
        var portText: String?
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else { return nil }
            hostText = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
            let rest = trimmed[trimmed.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portText = String(rest.dropFirst())
            }
        } else if trimmed.filter({ $0 == ":" }).count == 1, let colon = trimmed.firstIndex(of: ":") {
            hostText = String(trimmed[..<colon])
            portText = String(trimmed[trimmed.index(after: colon)...])
        }
        guard let address = IPAddress(hostText) else { return nil }
        if let portText {
            guard let port = Self.port(Substring(portText)) else { return nil }
            self.init(address: address, port: port)
        } else {
            guard let defaultPort else { return nil }
            self.init(address: address, port: defaultPort)
        }
    }

    /// A port number 0...65535 in decimal, without leading zeros.
    public static func port(_ text: Substring) -> UInt16? {
        IPAddress.parseDecimal(text, maxDigits: NetLimits.maxPortDigits).flatMap(UInt16.init(exactly:))
    }

    /// `192.0.2.1:25` or `[2001:db8::1]:25`.
    public var description: String {
        address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
