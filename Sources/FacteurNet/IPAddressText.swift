import Foundation

// Text forms of IPAddress: parsing (RFC 4291 section 2.2, RFC 791 dotted quad) and the
// canonical output of RFC 5952 section 4.

extension IPAddress: CustomStringConvertible, LosslessStringConvertible {
    /// Parses `192.0.2.7`, `2001:db8::1`, `::ffff:192.0.2.7`, `::` ….
    ///
    /// Strict on purpose: a dotted quad needs four decimal parts without leading zeros
    /// (`010.0.0.1` is refused, since inet_aton would read it as octal and another tool could
    /// disagree with us about which address a rule names); zone identifiers (`%eth0`) and
    /// brackets are refused.
    public init?(_ description: String) {
        self.init(text: Substring(description))
    }

    public init?(text: Substring) {
        guard !text.isEmpty, text.utf8.count <= NetLimits.maxAddressTextLength else { return nil }
        if text.contains(":") {
            guard let (high, low) = Self.parseIPv6(text) else { return nil }
            self.init(high: high, low: low)
        } else {
            guard let v4 = Self.parseIPv4(text) else { return nil }
            self.init(ipv4: v4)
        }
    }

    /// IPv4 in dotted-quad form, IPv6 in the RFC 5952 canonical form (lower case, no leading
    /// zeros, the longest run of two or more zero groups shortened to `::`, the first on a tie).
    public var description: String {
        if let v4 = ipv4 {
            return Self.formatIPv4(v4)
        }
        let groups = (0..<8).map { index -> UInt16 in
            let word = index < 4 ? high : low
            return UInt16(truncatingIfNeeded: word >> (48 - 16 * UInt64(index % 4)))
        }
        // Longest run of zero groups (RFC 5952 section 4.2.1-4.2.3).
        var bestStart = -1, bestLength = 0, runStart = -1
        for index in 0...8 {
            if index < 8, groups[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                let length = index - runStart
                if length > bestLength { bestStart = runStart; bestLength = length }
                runStart = -1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        let head = hex[0..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }

    static func formatIPv4(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    /// dotted-quad = dec-octet "." dec-octet "." dec-octet "." dec-octet   (RFC 3986 section 3.2.2)
    static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let octet = parseDecimal(part, maxDigits: 3), octet <= 255 else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    /// A decimal number of 1...maxDigits ASCII digits, without a leading zero unless it is "0".
    static func parseDecimal(_ text: Substring, maxDigits: Int) -> Int? {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= maxDigits else { return nil }
        if utf8.count > 1, utf8.first == UInt8(ascii: "0") { return nil }
        var value = 0
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// IPv6address (RFC 4291 section 2.2): eight groups of one to four hex digits, one "::"
    /// standing for one or more zero groups, and optionally a dotted quad as the last 32 bits.
    static func parseIPv6(_ text: Substring) -> (UInt64, UInt64)? {
        var groups: [UInt16]
        if let gap = text.range(of: "::") {
            let before = text[..<gap.lowerBound]
            let after = text[gap.upperBound...]
            guard !after.contains("::"),
                  let head = parseGroups(before, dottedLastAllowed: false),
                  let tail = parseGroups(after, dottedLastAllowed: true),
                  head.count + tail.count <= 7 else { return nil }
            groups = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let all = parseGroups(text, dottedLastAllowed: true), all.count == 8 else { return nil }
            groups = all
        }
        var high: UInt64 = 0, low: UInt64 = 0
        for index in 0..<4 { high = high << 16 | UInt64(groups[index]) }
        for index in 4..<8 { low = low << 16 | UInt64(groups[index]) }
        return (high, low)
    }

    /// Colon-separated hex groups; an empty text is no group at all.
    private static func parseGroups(_ text: Substring, dottedLastAllowed: Bool) -> [UInt16]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 8 else { return nil }
        var groups: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if dottedLastAllowed, index == parts.count - 1, part.contains(".") {
                guard let v4 = parseIPv4(part) else { return nil }
                groups.append(UInt16(truncatingIfNeeded: v4 >> 16))
                groups.append(UInt16(truncatingIfNeeded: v4))
                continue
            }
            guard (1...4).contains(part.utf8.count) else { return nil }
            var value: UInt16 = 0
            for byte in part.utf8 {
                guard let digit = hexValue(byte) else { return nil }
                value = value << 4 | UInt16(digit)
            }
            groups.append(value)
        }
        return groups
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension IPAddress: Codable {
    /// Encoded as its canonical text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let address = IPAddress(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an IP address: \(text)")
        }
        self = address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
