/// DKIM canonicalisation (RFC 6376 §3.4). Lines are split on LF; a CR before it is dropped and
/// CRLF written back, so a message stored with bare LFs canonicalises as it was sent.
public enum DKIMCanonicalization {
    static let cr: UInt8 = 13, lf: UInt8 = 10, sp: UInt8 = 32, tab: UInt8 = 9

    /// §3.4.1 / §3.4.2: one header field, ending in CRLF.
    public static func header(_ field: HeaderField, _ mode: DKIMSignature.Canonicalization) -> [UInt8] {
        header(raw: Array(field.raw), mode)
    }

    static func header(raw: [UInt8], _ mode: DKIMSignature.Canonicalization) -> [UInt8] {
        switch mode {
        case .simple:
            var out: [UInt8] = []
            out.reserveCapacity(raw.count + 2)
            for line in lines(raw) { out += line; out += [cr, lf] }
            return out
        case .relaxed:
            guard let colon = raw.firstIndex(of: UInt8(ascii: ":")) else { return [] }
            var name = raw[..<colon].filter { $0 != sp && $0 != tab }
            for i in name.indices where name[i] >= 65 && name[i] <= 90 { name[i] += 32 }
            var value: [UInt8] = []
            var pendingSpace = false
            for byte in raw[(colon + 1)...] where byte != cr && byte != lf {
                if byte == sp || byte == tab { pendingSpace = !value.isEmpty; continue }
                if pendingSpace { value.append(sp); pendingSpace = false }
                value.append(byte)
            }
            return name + [UInt8(ascii: ":")] + value + [cr, lf]
        }
    }

    /// §3.4.3 / §3.4.4 (with erratum 3192: an empty body is empty under relaxed).
    public static func body(_ body: ArraySlice<UInt8>, _ mode: DKIMSignature.Canonicalization) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 2)
        var emptyLines = 0
        for line in lines(body) {
            let content: ArraySlice<UInt8>
            var relaxedLine: [UInt8] = []
            switch mode {
            case .simple:
                content = line
            case .relaxed:
                var pendingSpace = false
                for byte in line {
                    if byte == sp || byte == tab { pendingSpace = true; continue }
                    if pendingSpace { relaxedLine.append(sp); pendingSpace = false }
                    relaxedLine.append(byte)
                }
                content = relaxedLine[...]
            }
            if content.isEmpty { emptyLines += 1; continue }
            for _ in 0..<emptyLines { out += [cr, lf] }
            emptyLines = 0
            out += content
            out += [cr, lf]
        }
        if out.isEmpty && mode == .simple { return [cr, lf] }
        return out
    }

    /// The lines of `bytes` without their line endings. A final line without LF counts; the
    /// empty string after a final LF does not.
    static func lines<C: RandomAccessCollection>(_ bytes: C) -> [ArraySlice<UInt8>] where C.Element == UInt8, C.Index == Int {
        let array = ArraySlice(bytes)
        var result: [ArraySlice<UInt8>] = []
        var start = array.startIndex
        while start < array.endIndex {
            let lfIndex = array[start...].firstIndex(of: lf)
            var end = lfIndex ?? array.endIndex
            if end > start, array[end - 1] == cr, lfIndex != nil { end -= 1 }
            result.append(array[start..<end])
            start = (lfIndex ?? array.endIndex - 1) + 1
        }
        return result
    }

    /// The DKIM-Signature field with the value of b= removed (§3.7), canonicalised, no final CRLF.
    static func signatureField(_ field: HeaderField, _ mode: DKIMSignature.Canonicalization) -> [UInt8] {
        let raw = Array(field.raw)
        guard let colon = raw.firstIndex(of: UInt8(ascii: ":")) else { return [] }
        var stripped = Array(raw[...colon])
        var segmentStart = colon + 1
        while segmentStart <= raw.count {
            let segmentEnd = raw[segmentStart...].firstIndex(of: UInt8(ascii: ";")) ?? raw.count
            let segment = raw[segmentStart..<segmentEnd]
            if let eq = segment.firstIndex(of: UInt8(ascii: "=")),
               segment[..<eq].filter({ ![sp, tab, cr, lf].contains($0) }) == [UInt8(ascii: "b")] {
                stripped += raw[segmentStart...eq]
            } else {
                stripped += segment
            }
            if segmentEnd < raw.count { stripped.append(UInt8(ascii: ";")) }
            segmentStart = segmentEnd + 1
        }
        var canonical = header(raw: stripped, mode)
        if canonical.suffix(2) == [cr, lf] { canonical.removeLast(2) }
        return canonical
    }
}
