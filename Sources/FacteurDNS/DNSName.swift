/// A domain name as a list of labels (RFC 1035 §3.1). Labels are raw octets; comparison is
/// ASCII case-insensitive (RFC 4343 §3). Text form uses dots and `\DDD` / `\.` escapes for
/// octets that are not plain printable characters (RFC 1035 §5.1).
public struct DNSName: Sendable, Hashable, CustomStringConvertible {
    public let labels: [[UInt8]]

    public static let root = DNSName(uncheckedLabels: [])

    init(uncheckedLabels: [[UInt8]]) { self.labels = uncheckedLabels }

    /// Builds a name from raw labels, enforcing RFC 1035 §2.3.4 sizes.
    public init(labels: [[UInt8]]) throws(DNSWireError) {
        var total = 1
        for label in labels {
            guard !label.isEmpty else { throw .invalidName("empty label") }
            guard label.count <= DNSLimits.maxLabelBytes else { throw .labelTooLong }
            total += label.count + 1
        }
        guard total <= DNSLimits.maxNameBytes else { throw .nameTooLong }
        self.labels = labels
    }

    /// Parses text like `mail.example.com` or `mail.example.com.`; `.` alone is the root.
    public init(_ text: String) throws(DNSWireError) {
        let scalars = Array(text.utf8)
        if scalars.isEmpty { throw .invalidName(text) }
        if scalars == [UInt8(ascii: ".")] { self = .root; return }
        var labels: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        var endedWithDot = false
        while index < scalars.count {
            let byte = scalars[index]
            endedWithDot = false
            if byte == UInt8(ascii: ".") {
                guard !current.isEmpty else { throw .invalidName(text) }
                labels.append(current)
                current = []
                endedWithDot = true
                index += 1
            } else if byte == UInt8(ascii: "\\") {
                // RFC 1035 §5.1: \X is X literally, \DDD is the octet with decimal value DDD.
                guard index + 1 < scalars.count else { throw .invalidName(text) }
                let next = scalars[index + 1]
                if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) {
                    guard index + 3 < scalars.count else { throw .invalidName(text) }
                    var value = 0
                    for digit in scalars[(index + 1)...(index + 3)] {
                        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { throw .invalidName(text) }
                        value = value * 10 + Int(digit - UInt8(ascii: "0"))
                    }
                    guard value <= 255 else { throw .invalidName(text) }
                    current.append(UInt8(value))
                    index += 4
                } else {
                    current.append(next)
                    index += 2
                }
            } else {
                current.append(byte)
                index += 1
            }
        }
        if !current.isEmpty { labels.append(current) } else if !endedWithDot { throw .invalidName(text) }
        try self.init(labels: labels)
    }

    /// Text form without the trailing dot (`mail.example.com`); the root is `.`.
    public var description: String {
        if labels.isEmpty { return "." }
        return labels.map(Self.escape).joined(separator: ".")
    }

    /// Lowercased text form, for comparisons and cache keys.
    public var normalized: String { DNSName(uncheckedLabels: labels.map(Self.lowercased)).description }

    /// Octets the name takes on the wire without compression.
    public var wireLength: Int { labels.reduce(1) { $0 + $1.count + 1 } }

    /// `self` followed by the labels of `parent`.
    public func appending(_ parent: DNSName) throws(DNSWireError) -> DNSName {
        try DNSName(labels: labels + parent.labels)
    }

    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        lhs.labels.count == rhs.labels.count
            && zip(lhs.labels, rhs.labels).allSatisfy { lowercased($0) == lowercased($1) }
    }

    public func hash(into hasher: inout Hasher) {
        for label in labels { hasher.combine(Self.lowercased(label)) }
    }

    static func lowercased(_ label: [UInt8]) -> [UInt8] {
        label.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 }
    }

    static func escape(_ label: [UInt8]) -> String {
        var text = ""
        for byte in label {
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: "\\"):
                text.append("\\")
                text.append(Character(Unicode.Scalar(byte)))
            case 0x21...0x7E:
                text.append(Character(Unicode.Scalar(byte)))
            default:
                let digits = String(byte)
                text.append("\\" + String(repeating: "0", count: 3 - digits.count) + digits)
            }
        }
        return text
    }

    // MARK: Wire decoding (RFC 1035 §4.1.4)

    /// Reads a possibly compressed name at `reader.offset` and leaves the reader just after it
    /// (after the first pointer if there is one).
    ///
    /// Loop protection: every pointer must point strictly before the lowest offset visited so
    /// far for this name, so positions decrease on every jump and the walk always ends; the
    /// number of jumps and the decoded length are bounded too.
    static func read(from reader: inout WireReader) throws(DNSWireError) -> DNSName {
        let bytes = reader.bytes
        var position = reader.offset
        var lowestVisited = position
        var jumps = 0
        var resumeAt: Int?
        var labels: [[UInt8]] = []
        var total = 1
        while true {
            guard position < bytes.count else { throw .truncated(offset: position) }
            let length = bytes[position]
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    reader.offset = resumeAt ?? (position + 1)
                    return DNSName(uncheckedLabels: labels)
                }
                let count = Int(length)
                guard position + 1 + count <= bytes.count else { throw .truncated(offset: position) }
                total += count + 1
                guard total <= DNSLimits.maxNameBytes else { throw .nameTooLong }
                labels.append(Array(bytes[(position + 1)...(position + count)]))
                position += 1 + count
            case 0xC0:
                guard position + 1 < bytes.count else { throw .truncated(offset: position) }
                let target = Int(length & 0x3F) << 8 | Int(bytes[position + 1])
                jumps += 1
                guard target < lowestVisited, jumps <= DNSLimits.maxCompressionJumps else {
                    throw .compressionLoop(offset: position)
                }
                if resumeAt == nil { resumeAt = position + 2 }
                position = target
                lowestVisited = target
            default:
                throw .reservedLabelType(offset: position)
            }
        }
    }
}
