import FacteurNet

/// The RDATA of a resource record, decoded for the types Facteur uses (RFC 1035 §3.3, §3.4;
/// RFC 3596 §2.2). Other types keep their raw octets.
public enum DNSRecordData: Sendable, Hashable {
    case a(IPAddress)
    case aaaa(IPAddress)
    case ns(DNSName)
    case cname(DNSName)
    case ptr(DNSName)
    /// RFC 1035 §3.3.9.
    case mx(preference: UInt16, exchange: DNSName)
    /// RFC 1035 §3.3.14: one or more <character-string>s.
    case txt([[UInt8]])
    /// RFC 1035 §3.3.13; `minimum` is the negative-caching TTL (RFC 2308 §5).
    case soa(DNSStartOfAuthority)
    case unknown([UInt8])

    /// TXT strings as text (invalid UTF-8 is repaired), nil for other types.
    public var textStrings: [String]? {
        if case .txt(let parts) = self { return parts.map { String(decoding: $0, as: UTF8.self) } }
        return nil
    }

    /// Reads `length` octets of RDATA of `type`. Names inside may be compressed, so the reader
    /// covers the whole message; the RDATA must be consumed exactly.
    static func read(type: DNSRecordType, length: Int, from reader: inout WireReader) throws(DNSWireError) -> DNSRecordData {
        let start = reader.offset
        guard reader.remaining >= length else { throw .truncated(offset: start) }
        let end = start + length
        let data: DNSRecordData
        switch type {
        case .a:
            guard length == 4 else { throw .badRecordData(type: type.rawValue) }
            guard let address = IPAddress(bytes: try reader.take(4)) else { throw .badRecordData(type: type.rawValue) }
            data = .a(address)
        case .aaaa:
            guard length == 16 else { throw .badRecordData(type: type.rawValue) }
            guard let address = IPAddress(bytes: try reader.take(16)) else { throw .badRecordData(type: type.rawValue) }
            data = .aaaa(address)
        case .ns:
            data = .ns(try DNSName.read(from: &reader))
        case .cname:
            data = .cname(try DNSName.read(from: &reader))
        case .ptr:
            data = .ptr(try DNSName.read(from: &reader))
        case .mx:
            let preference = try reader.u16()
            data = .mx(preference: preference, exchange: try DNSName.read(from: &reader))
        case .txt:
            var parts: [[UInt8]] = []
            while reader.offset < end {
                let count = Int(try reader.u8())
                guard reader.offset + count <= end else { throw .badRecordData(type: type.rawValue) }
                parts.append(try reader.take(count))
            }
            guard !parts.isEmpty else { throw .badRecordData(type: type.rawValue) }
            data = .txt(parts)
        case .soa:
            let primary = try DNSName.read(from: &reader)
            let mailbox = try DNSName.read(from: &reader)
            data = .soa(DNSStartOfAuthority(
                primary: primary, mailbox: mailbox, serial: try reader.u32(), refresh: try reader.u32(),
                retry: try reader.u32(), expire: try reader.u32(), minimum: try reader.u32()))
        default:
            data = .unknown(try reader.take(length))
        }
        guard reader.offset == end else { throw .badRecordData(type: type.rawValue) }
        return data
    }

    func write(to writer: inout WireWriter) throws(DNSWireError) {
        switch self {
        case .a(let address):
            writer.append(address.bytes)
        case .aaaa(let address):
            writer.append(address.bytes16)
        case .ns(let name), .cname(let name), .ptr(let name):
            writer.name(name)
        case .mx(let preference, let exchange):
            writer.u16(preference)
            writer.name(exchange)
        case .txt(let parts):
            for part in parts { try writer.characterString(part) }
        case .soa(let soa):
            writer.name(soa.primary)
            writer.name(soa.mailbox)
            for value in [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum] { writer.u32(value) }
        case .unknown(let bytes):
            writer.append(bytes)
        }
    }
}

/// SOA RDATA (RFC 1035 §3.3.13).
public struct DNSStartOfAuthority: Sendable, Hashable {
    public var primary: DNSName
    public var mailbox: DNSName
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    public var minimum: UInt32

    public init(primary: DNSName, mailbox: DNSName, serial: UInt32, refresh: UInt32, retry: UInt32,
                expire: UInt32, minimum: UInt32) {
        self.primary = primary; self.mailbox = mailbox; self.serial = serial; self.refresh = refresh
        self.retry = retry; self.expire = expire; self.minimum = minimum
    }
}
