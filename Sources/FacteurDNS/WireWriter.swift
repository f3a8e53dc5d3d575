/// Appends DNS wire fields in network byte order. Names are written without compression,
/// which RFC 1035 §4.1.4 allows.
struct WireWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    mutating func u32(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }

    mutating func append(_ more: [UInt8]) { bytes.append(contentsOf: more) }

    mutating func name(_ name: DNSName) {
        for label in name.labels {
            bytes.append(UInt8(label.count))
            bytes.append(contentsOf: label)
        }
        bytes.append(0)
    }

    /// RFC 1035 §3.3 <character-string>: one length octet, then that many octets.
    mutating func characterString(_ value: [UInt8]) throws(DNSWireError) {
        guard value.count <= DNSLimits.maxCharacterStringBytes else { throw .characterStringTooLong }
        bytes.append(UInt8(value.count))
        bytes.append(contentsOf: value)
    }
}
