/// One header field (RFC 5322 §2.2).
public struct HeaderField: Hashable, Sendable {
    public var name: String
    /// The value unfolded (RFC 5322 §2.2.3: CRLF before WSP removed), leading whitespace and
    /// the final line end removed, still encoded (RFC 2047 words untouched).
    public var value: String
    /// The field's octets in the message, folded lines and final line end included.
    public var range: Range<Int>
}

/// A header block parsed from message bytes. Non-field lines (an mbox "From " line, garbage)
/// are skipped, as mail readers do.
public struct MessageHeader: Hashable, Sendable {
    public var fields: [HeaderField]

    public init(fields: [HeaderField]) { self.fields = fields }

    /// Parses the header lines in `bytes[range]` (the blank line may be included).
    public init(_ bytes: [UInt8], range: Range<Int>) {
        var fields: [HeaderField] = []
        var index = range.lowerBound
        let end = range.upperBound
        while index < end, fields.count < MIMELimits.maxHeaderFields {
            let lineEnd = MessageHeader.endOfLine(bytes, from: index, limit: end)
            // Continuation lines belong to the field before; blank line ends the header.
            if MessageHeader.isBlankLine(bytes, index..<lineEnd) { break }
            var fieldEnd = lineEnd
            while fieldEnd < end, bytes[fieldEnd] == UInt8(ascii: " ") || bytes[fieldEnd] == UInt8(ascii: "\t") {
                fieldEnd = MessageHeader.endOfLine(bytes, from: fieldEnd, limit: end)
            }
            if let colon = bytes[index..<lineEnd].firstIndex(of: UInt8(ascii: ":")),
               colon > index, bytes[index] != UInt8(ascii: " "), bytes[index] != UInt8(ascii: "\t") {
                var nameEnd = colon
                while nameEnd > index, bytes[nameEnd - 1] == UInt8(ascii: " ") || bytes[nameEnd - 1] == UInt8(ascii: "\t") { nameEnd -= 1 }
                let nameBytes = bytes[index..<nameEnd]
                if !nameBytes.contains(where: { $0 <= 0x20 || $0 >= 0x7F }) {
                    let value = MessageHeader.unfold(bytes[(colon + 1)..<fieldEnd])
                    fields.append(HeaderField(name: String(decoding: nameBytes, as: UTF8.self),
                                              value: TextDecoding.headerString(value), range: index..<fieldEnd))
                }
            }
            index = fieldEnd
        }
        self.fields = fields
    }

    /// The first value of `name` (case-insensitive).
    public func first(_ name: String) -> String? {
        let lower = name.lowercased()
        return fields.first { $0.name.lowercased() == lower }?.value
    }

    /// All values of `name`, in order.
    public func all(_ name: String) -> [String] {
        let lower = name.lowercased()
        return fields.filter { $0.name.lowercased() == lower }.map(\.value)
    }

    // MARK: - Byte helpers

    /// Index after the line end (LF) starting at `from`, or `limit`.
    static func endOfLine(_ bytes: [UInt8], from: Int, limit: Int) -> Int {
        var index = from
        while index < limit {
            if bytes[index] == UInt8(ascii: "\n") { return index + 1 }
            index += 1
        }
        return limit
    }

    static func isBlankLine(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        let line = bytes[range]
        return line.elementsEqual([13, 10]) || line.elementsEqual([10])
    }

    /// Unfolds and trims: removes line ends, leading whitespace, trailing whitespace.
    static func unfold(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(raw.count)
        for byte in raw where byte != 13 && byte != 10 { result.append(byte) }
        let start = result.firstIndex { $0 != 32 && $0 != 9 } ?? result.count
        let end = (result.lastIndex { $0 != 32 && $0 != 9 }).map { $0 + 1 } ?? start
        return start < end ? Array(result[start..<end]) : []
    }

    /// Splits `bytes[range]` into header (blank line included) and body (RFC 5322 §2.1).
    /// With no blank line the whole range is header and the body is empty.
    static func split(_ bytes: [UInt8], range: Range<Int>) -> (header: Range<Int>, body: Range<Int>) {
        var index = range.lowerBound
        while index < range.upperBound {
            let lineEnd = endOfLine(bytes, from: index, limit: range.upperBound)
            if isBlankLine(bytes, index..<lineEnd) {
                return (range.lowerBound..<lineEnd, lineEnd..<range.upperBound)
            }
            index = lineEnd
        }
        return (range, range.upperBound..<range.upperBound)
    }
}
