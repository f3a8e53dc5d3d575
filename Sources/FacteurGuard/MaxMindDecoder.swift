/// Decodes values of one section (data or metadata) of a MaxMind DB file.
///
/// MaxMind DB spec, "Output Data Section": each field starts with a control byte whose top 3
/// bits give the type (0: extended, type = 7 + next byte) and whose low 5 bits give the size
/// (29, 30, 31: the size continues in 1, 2 or 3 more bytes). Pointers (type 1) are offsets from
/// the start of the section. Every read is bounds-checked and nesting (maps, arrays, pointers)
/// stops at `GuardLimits.mmdbMaxDecodeDepth`, so a corrupt file gives an error, never a crash
/// or a loop.
struct MaxMindDecoder: Sendable {
    let bytes: [UInt8]
    /// Absolute offset of the section start (pointer base).
    let base: Int
    /// Absolute offset just past the section.
    let end: Int

    enum FieldType: Int {
        case pointer = 1, string, double, bytes, uint16, uint32, map, int32, uint64, uint128, array
        case container, endMarker, boolean, float
    }

    struct Control {
        var type: FieldType
        var size: Int
        /// Section offset of the payload (for a pointer: of its extra bytes).
        var payload: Int
        /// The raw control byte (pointers keep bits in it).
        var byte: UInt8
    }

    private func byte(_ offset: Int) throws(MaxMindDBError) -> UInt8 {
        let absolute = base + offset
        guard offset >= 0, absolute < end else { throw .invalidData("read past the end of the section at \(offset)") }
        return bytes[absolute]
    }

    /// Big-endian unsigned integer of `count` bytes (0...8) at section offset `offset`.
    private func integer(_ offset: Int, _ count: Int) throws(MaxMindDBError) -> UInt64 {
        guard count <= 8 else { throw .invalidData("integer of \(count) bytes") }
        var value: UInt64 = 0
        for index in 0..<count { value = value << 8 | UInt64(try byte(offset + index)) }
        return value
    }

    func control(at offset: Int) throws(MaxMindDBError) -> Control {
        let first = try byte(offset)
        var cursor = offset + 1
        var typeNumber = Int(first >> 5)
        if typeNumber == 0 {
            typeNumber = 7 + Int(try byte(cursor))
            cursor += 1
            guard typeNumber >= 8 else { throw .invalidData("extended type \(typeNumber) at \(offset)") }
        }
        guard let type = FieldType(rawValue: typeNumber) else { throw .invalidData("unknown type \(typeNumber) at \(offset)") }
        if type == .pointer {
            return Control(type: type, size: 0, payload: cursor, byte: first)
        }
        var size = Int(first & 0x1F)
        switch size {
        case 29: size = 29 + Int(try integer(cursor, 1)); cursor += 1
        case 30: size = 285 + Int(try integer(cursor, 2)); cursor += 2
        case 31: size = 65_821 + Int(try integer(cursor, 3)); cursor += 3
        default: break
        }
        return Control(type: type, size: size, payload: cursor, byte: first)
    }

    /// A pointer's target (section offset) and the offset just after the pointer.
    private func pointer(_ control: Control) throws(MaxMindDBError) -> (target: Int, next: Int) {
        let sizeBits = Int(control.byte >> 3 & 0x3)
        let high = UInt64(control.byte & 0x7)
        let extra = sizeBits + 1
        let value = try integer(control.payload, extra)
        let target: UInt64 = switch sizeBits {
        case 0: high << 8 | value
        case 1: (high << 16 | value) + 2048
        case 2: (high << 24 | value) + 526_336
        default: value
        }
        guard target < UInt64(end - base) else { throw .invalidData("pointer to \(target) outside the section") }
        return (Int(target), control.payload + extra)
    }

    /// Decodes the value at section offset `offset`; returns it with the offset after it.
    func decode(at offset: Int, depth: Int = 0) throws(MaxMindDBError) -> (MaxMindValue, Int) {
        guard depth < GuardLimits.mmdbMaxDecodeDepth else { throw .invalidData("nesting deeper than \(GuardLimits.mmdbMaxDecodeDepth)") }
        let field = try control(at: offset)
        let start = field.payload, size = field.size
        switch field.type {
        case .pointer:
            let (target, next) = try pointer(field)
            let (value, _) = try decode(at: target, depth: depth + 1)
            return (value, next)
        case .string:
            return (.string(String(decoding: try slice(start, size), as: UTF8.self)), start + size)
        case .bytes:
            return (.bytes(try slice(start, size)), start + size)
        case .double:
            guard size == 8 else { throw .invalidData("double of \(size) bytes") }
            return (.double(Double(bitPattern: try integer(start, 8))), start + 8)
        case .float:
            guard size == 4 else { throw .invalidData("float of \(size) bytes") }
            return (.float(Float(bitPattern: UInt32(try integer(start, 4)))), start + 4)
        case .uint16, .uint32, .uint64:
            let limit = field.type == .uint16 ? 2 : field.type == .uint32 ? 4 : 8
            guard size <= limit else { throw .invalidData("\(field.type) of \(size) bytes") }
            return (.uint(try integer(start, size)), start + size)
        case .uint128:
            guard size <= 16 else { throw .invalidData("uint128 of \(size) bytes") }
            let highCount = max(size - 8, 0)
            let high = try integer(start, highCount)
            let low = try integer(start + highCount, size - highCount)
            return (.uint128(high: high, low: low), start + size)
        case .int32:
            guard size <= 4 else { throw .invalidData("int32 of \(size) bytes") }
            let raw = UInt32(try integer(start, size))
            let value = size == 4 ? Int32(bitPattern: raw) : Int32(raw)
            return (.int(value), start + size)
        case .boolean:
            guard size <= 1 else { throw .invalidData("boolean of value \(size)") }
            return (.bool(size == 1), start)
        case .map:
            try checkCount(size, from: start, bytesPerItem: 2)
            var entries: [String: MaxMindValue] = [:]
            var cursor = start
            for _ in 0..<size {
                let (key, afterKey) = try decode(at: cursor, depth: depth + 1)
                guard case let .string(name) = key else { throw .invalidData("map key is not a string at \(cursor)") }
                let (value, afterValue) = try decode(at: afterKey, depth: depth + 1)
                entries[name] = value
                cursor = afterValue
            }
            return (.map(entries), cursor)
        case .array:
            try checkCount(size, from: start, bytesPerItem: 1)
            var items: [MaxMindValue] = []
            var cursor = start
            for _ in 0..<size {
                let (value, next) = try decode(at: cursor, depth: depth + 1)
                items.append(value)
                cursor = next
            }
            return (.array(items), cursor)
        case .container, .endMarker:
            throw .invalidData("\(field.type) in a data section at \(offset)")
        }
    }

    /// Finds the value at `path` (map keys) below the value at `offset`, without decoding the
    /// rest; nil when a key is missing or a step is not a map.
    func value(at offset: Int, path: ArraySlice<String>, depth: Int = 0) throws(MaxMindDBError) -> MaxMindValue? {
        guard let key = path.first else { return try decode(at: offset, depth: depth).0 }
        guard depth < GuardLimits.mmdbMaxDecodeDepth else { throw .invalidData("nesting deeper than \(GuardLimits.mmdbMaxDecodeDepth)") }
        let field = try control(at: offset)
        if field.type == .pointer {
            return try value(at: try pointer(field).target, path: path, depth: depth + 1)
        }
        guard field.type == .map else { return nil }
        try checkCount(field.size, from: field.payload, bytesPerItem: 2)
        var cursor = field.payload
        for _ in 0..<field.size {
            let (name, afterKey) = try decode(at: cursor, depth: depth + 1)
            if case .string(key) = name {
                return try value(at: afterKey, path: path.dropFirst(), depth: depth + 1)
            }
            cursor = try skip(at: afterKey, depth: depth + 1)
        }
        return nil
    }

    /// The offset just after the value at `offset`, without decoding it.
    func skip(at offset: Int, depth: Int = 0) throws(MaxMindDBError) -> Int {
        guard depth < GuardLimits.mmdbMaxDecodeDepth else { throw .invalidData("nesting deeper than \(GuardLimits.mmdbMaxDecodeDepth)") }
        let field = try control(at: offset)
        switch field.type {
        case .pointer:
            return try pointer(field).next
        case .boolean:
            return field.payload
        case .map, .array:
            let perEntry = field.type == .map ? 2 : 1
            try checkCount(field.size, from: field.payload, bytesPerItem: perEntry)
            var cursor = field.payload
            for _ in 0..<(field.size * perEntry) { cursor = try skip(at: cursor, depth: depth + 1) }
            return cursor
        case .container, .endMarker:
            throw .invalidData("\(field.type) in a data section at \(offset)")
        default:
            guard field.payload + field.size <= end - base else { throw .invalidData("value past the end of the section at \(offset)") }
            return field.payload + field.size
        }
    }

    private func slice(_ offset: Int, _ count: Int) throws(MaxMindDBError) -> [UInt8] {
        guard offset >= 0, count >= 0, base + offset + count <= end else {
            throw .invalidData("\(count) bytes at \(offset) past the end of the section")
        }
        return Array(bytes[(base + offset)..<(base + offset + count)])
    }

    /// A container of `count` items needs at least `bytesPerItem` bytes each: refuse counts
    /// the rest of the section cannot hold before looping over them.
    private func checkCount(_ count: Int, from offset: Int, bytesPerItem: Int) throws(MaxMindDBError) {
        guard count * bytesPerItem <= end - base - offset else {
            throw .invalidData("container of \(count) items at \(offset) larger than the section")
        }
    }
}
