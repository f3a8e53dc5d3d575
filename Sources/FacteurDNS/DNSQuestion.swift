/// One entry of the question section (RFC 1035 §4.1.2).
public struct DNSQuestion: Sendable, Hashable {
    public var name: DNSName
    public var type: DNSRecordType
    public var recordClass: DNSRecordClass

    public init(name: DNSName, type: DNSRecordType, recordClass: DNSRecordClass = .internet) {
        self.name = name; self.type = type; self.recordClass = recordClass
    }

    static func read(from reader: inout WireReader) throws(DNSWireError) -> DNSQuestion {
        let name = try DNSName.read(from: &reader)
        let type = DNSRecordType(rawValue: try reader.u16())
        let recordClass = DNSRecordClass(rawValue: try reader.u16())
        return DNSQuestion(name: name, type: type, recordClass: recordClass)
    }

    func write(to writer: inout WireWriter) {
        writer.name(name)
        writer.u16(type.rawValue)
        writer.u16(recordClass.rawValue)
    }
}
