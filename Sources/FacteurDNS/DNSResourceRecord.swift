/// One resource record (RFC 1035 §4.1.3).
public struct DNSResourceRecord: Sendable, Hashable {
    public var name: DNSName
    public var type: DNSRecordType
    public var recordClass: DNSRecordClass
    /// Seconds the record may be cached. RFC 2181 §8: values with the top bit set are read as 0.
    public var ttl: UInt32
    public var data: DNSRecordData

    public init(name: DNSName, type: DNSRecordType, recordClass: DNSRecordClass = .internet, ttl: UInt32,
                data: DNSRecordData) {
        self.name = name; self.type = type; self.recordClass = recordClass; self.ttl = ttl; self.data = data
    }

    /// A record whose type follows from its data (not for `.unknown`).
    public init(name: DNSName, ttl: UInt32, data: DNSRecordData) {
        let type: DNSRecordType = switch data {
        case .a: .a
        case .aaaa: .aaaa
        case .ns: .ns
        case .cname: .cname
        case .ptr: .ptr
        case .mx: .mx
        case .txt: .txt
        case .soa: .soa
        case .unknown: DNSRecordType(rawValue: 0)
        }
        self.init(name: name, type: type, ttl: ttl, data: data)
    }

    static func read(from reader: inout WireReader) throws(DNSWireError) -> DNSResourceRecord {
        let name = try DNSName.read(from: &reader)
        let type = DNSRecordType(rawValue: try reader.u16())
        let recordClass = DNSRecordClass(rawValue: try reader.u16())
        let rawTTL = try reader.u32()
        let length = Int(try reader.u16())
        let data = try DNSRecordData.read(type: type, length: length, from: &reader)
        return DNSResourceRecord(name: name, type: type, recordClass: recordClass,
                                 ttl: rawTTL & 0x8000_0000 == 0 ? rawTTL : 0, data: data)
    }

    func write(to writer: inout WireWriter) throws(DNSWireError) {
        writer.name(name)
        writer.u16(type.rawValue)
        writer.u16(recordClass.rawValue)
        writer.u32(ttl)
        var rdata = WireWriter()
        try data.write(to: &rdata)
        guard rdata.bytes.count <= Int(UInt16.max) else { throw .messageTooLarge }
        writer.u16(UInt16(rdata.bytes.count))
        writer.append(rdata.bytes)
    }
}
