/// A `host:port` listen address: "0.0.0.0:25", "[::]:143", "127.0.0.1:2525".
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) { self.host = host; self.port = port }

    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("[") {
            guard let close = t.firstIndex(of: "]") else { return nil }
            host = String(t[t.index(after: t.startIndex)..<close])
            let rest = t[t.index(after: close)...]
            guard rest.hasPrefix(":"), let p = Int(rest.dropFirst()) else { return nil }
            port = p
        } else {
            guard let colon = t.lastIndex(of: ":"), !t[..<colon].contains(":") else { return nil }
            host = String(t[..<colon])
            guard let p = Int(t[t.index(after: colon)...]) else { return nil }
            port = p
        }
        guard !host.isEmpty, (0...65535).contains(port) else { return nil }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

import Foundation
