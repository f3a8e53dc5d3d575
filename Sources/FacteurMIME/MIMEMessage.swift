/// A message parsed into its MIME tree (RFC 2045, RFC 2046). Parts refer to the message's
/// octets by range; nothing is copied or decoded until asked for.
///
/// The octets should be what the server sends for `BODY[]`, i.e. with CRLF line ends
/// (`LineEndings.crlf`) — sizes and line counts in BODYSTRUCTURE are computed on them.
public struct MIMEMessage: Sendable {
    public let bytes: [UInt8]
    public let root: MIMEPart

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var budget = MIMELimits.maxMIMEParts
        root = MIMEPart.parse(bytes, range: 0..<bytes.count, defaultType: .textPlain, depth: 0, budget: &budget)
    }

    public var header: MessageHeader { root.header }
    public var envelope: Envelope { Envelope(header: root.header) }
}

/// One node of the MIME tree.
public struct MIMEPart: Sendable {
    public enum Content: Sendable {
        case leaf
        case multipart([MIMEPart])
        /// message/rfc822: the encapsulated message (its header and body ranges).
        case message(MIMEPartBox)
    }

    public var header: MessageHeader
    /// Header octets, blank line included.
    public var headerRange: Range<Int>
    public var bodyRange: Range<Int>
    /// The effective Content-Type (defaults applied).
    public var contentType: MIMEFieldValue
    public var content: Content

    public var transferEncoding: String? {
        header.first("Content-Transfer-Encoding").map { $0.trimmingWhitespace().lowercased() }
    }

    static func parse(_ bytes: [UInt8], range: Range<Int>, defaultType: MIMEFieldValue, depth: Int,
                      budget: inout Int) -> MIMEPart {
        parse(bytes, from: range.lowerBound, limit: range.upperBound, enclosing: [], defaultType: defaultType,
              depth: depth, budget: &budget).part
    }

    /// Parses the part starting at `start`. It ends before the first delimiter line of one of
    /// the `enclosing` multiparts (innermost last), or at `limit`; `stop` is where that line
    /// starts (or `limit`). The line end before a delimiter belongs to the delimiter.
    ///
    /// A multipart's own delimiters are looked for first, then its parents' (RFC 2046 §5.1.1,
    /// and Dovecot's and CPython's order): a nested multipart that reuses its parent's
    /// boundary (seen in real mail) ends at its own close delimiter, and the parent's later
    /// parts are still found, as are the parent's parts after a child that never closed.
    static func parse(_ bytes: [UInt8], from start: Int, limit: Int, enclosing: [[UInt8]], defaultType: MIMEFieldValue,
                      depth: Int, budget: inout Int) -> (part: MIMEPart, stop: Int) {
        budget -= 1
        // The header ends at the blank line, or (malformed) at a delimiter line.
        var headerEnd = limit
        var lineStart = start
        while lineStart < limit {
            let lineEnd = MessageHeader.endOfLine(bytes, from: lineStart, limit: limit)
            if MessageHeader.isBlankLine(bytes, lineStart..<lineEnd) { headerEnd = lineEnd; break }
            if !enclosing.isEmpty, MultipartSplitter.delimiter(bytes, lineStart..<lineEnd, enclosing) != nil { headerEnd = lineStart; break }
            lineStart = lineEnd
        }
        let header = MessageHeader(bytes, range: start..<headerEnd)
        let contentType = header.first("Content-Type").flatMap(MIMEFieldValue.contentType) ?? defaultType
        var content = Content.leaf
        var stop: Int?
        if depth < MIMELimits.maxMIMEDepth && budget > 0 {
            if contentType.value == "multipart", let boundary = contentType.parameter("boundary"), !boundary.isEmpty {
                let childDefault: MIMEFieldValue = contentType.subtype == "digest" ? .messageRFC822 : .textPlain
                let delimiters = enclosing + [[UInt8(ascii: "-"), UInt8(ascii: "-")] + Array(boundary.utf8)]
                let own = delimiters.count - 1
                var children: [MIMEPart] = []
                var found = MultipartSplitter.next(bytes, from: headerEnd, limit: limit, delimiters)  // after the preamble
                while let delimiter = found {
                    if delimiter.level != own { stop = delimiter.line.lowerBound; break }  // a parent's: this part ends
                    if delimiter.isClose {
                        // The epilogue runs to the next delimiter of a parent.
                        stop = MultipartSplitter.next(bytes, from: delimiter.line.upperBound, limit: limit, enclosing)?.line.lowerBound ?? limit
                        break
                    }
                    guard budget > 0, children.count < MIMELimits.maxMIMEParts else {
                        found = MultipartSplitter.next(bytes, from: delimiter.line.upperBound, limit: limit, delimiters)
                        continue
                    }
                    let child = parse(bytes, from: delimiter.line.upperBound, limit: limit, enclosing: delimiters,
                                      defaultType: childDefault, depth: depth + 1, budget: &budget)
                    children.append(child.part)
                    found = child.stop < limit ? MultipartSplitter.delimiterLine(bytes, at: child.stop, limit: limit, delimiters) : nil
                }
                if children.isEmpty {
                    var none = 0
                    let end = stop.map { MultipartSplitter.beforeLineEnd(bytes, $0, floor: headerEnd) } ?? limit
                    children = [parse(bytes, from: end, limit: end, enclosing: [], defaultType: childDefault, depth: depth + 1, budget: &none).part]
                }
                content = .multipart(children)
                stop = stop ?? limit
            } else if contentType.value == "message" && contentType.subtype == "rfc822",
                      Self.isIdentityEncoding(header.first("Content-Transfer-Encoding")) {
                // RFC 2046 §5.2.1: only 7bit, 8bit or binary; an encoded message/rfc822 (seen in
                // the wild) is left opaque rather than parsed as garbage.
                let inner = parse(bytes, from: headerEnd, limit: limit, enclosing: enclosing, defaultType: .textPlain,
                                  depth: depth + 1, budget: &budget)
                content = .message(MIMEPartBox(inner.part))
                stop = inner.stop
            }
        }
        let end: Int
        if let stop {
            end = stop < limit ? MultipartSplitter.beforeLineEnd(bytes, stop, floor: start) : limit
        } else if let next = MultipartSplitter.next(bytes, from: headerEnd, limit: limit, enclosing) {
            stop = next.line.lowerBound
            end = MultipartSplitter.beforeLineEnd(bytes, next.line.lowerBound, floor: start)
        } else {
            end = limit
        }
        let (headerRange, bodyRange) = MessageHeader.split(bytes, range: start..<end)
        return (MIMEPart(header: header, headerRange: headerRange, bodyRange: bodyRange, contentType: contentType, content: content),
                stop ?? limit)
    }
}

extension MIMEPart {
    static func isIdentityEncoding(_ value: String?) -> Bool {
        guard let value else { return true }
        return ["7bit", "8bit", "binary", ""].contains(value.trimmingWhitespace().lowercased())
    }
}

/// Indirection for the recursive message/rfc822 case.
public final class MIMEPartBox: Sendable {
    public let part: MIMEPart
    init(_ part: MIMEPart) { self.part = part }
}

extension MIMEFieldValue {
    /// RFC 2045 §5.2 default.
    static let textPlain = MIMEFieldValue(value: "text", subtype: "plain", parameters: [BodyParameter("charset", "us-ascii")])
    /// RFC 2046 §5.1.5 default inside multipart/digest.
    static let messageRFC822 = MIMEFieldValue(value: "message", subtype: "rfc822", parameters: [])
}

/// Delimiter lines of multipart bodies (RFC 2046 §5.1.1).
enum MultipartSplitter {
    struct Delimiter {
        /// The whole line, line end included.
        var line: Range<Int>
        /// Index in the delimiter list: which multipart it belongs to.
        var level: Int
        var isClose: Bool
    }

    /// The first delimiter line at or after `from` (at a line start) of one of `delimiters`
    /// ("--" + boundary, outermost first); the innermost match wins.
    static func next(_ bytes: [UInt8], from: Int, limit: Int, _ delimiters: [[UInt8]]) -> Delimiter? {
        guard !delimiters.isEmpty else { return nil }
        var lineStart = from
        while lineStart < limit {
            if let found = delimiterLine(bytes, at: lineStart, limit: limit, delimiters) { return found }
            lineStart = MessageHeader.endOfLine(bytes, from: lineStart, limit: limit)
        }
        return nil
    }

    /// The delimiter line starting at `at`, if it is one.
    static func delimiterLine(_ bytes: [UInt8], at: Int, limit: Int, _ delimiters: [[UInt8]]) -> Delimiter? {
        guard at + 1 < limit, bytes[at] == UInt8(ascii: "-"), bytes[at + 1] == UInt8(ascii: "-") else { return nil }
        let line = at..<MessageHeader.endOfLine(bytes, from: at, limit: limit)
        guard let (level, isClose) = delimiter(bytes, line, delimiters) else { return nil }
        return Delimiter(line: line, level: level, isClose: isClose)
    }

    /// (level, isClose) when `line` is a delimiter of one of `delimiters`, innermost first.
    static func delimiter(_ bytes: [UInt8], _ line: Range<Int>, _ delimiters: [[UInt8]]) -> (Int, Bool)? {
        guard line.count >= 2, bytes[line.lowerBound] == UInt8(ascii: "-") else { return nil }
        for level in delimiters.indices.reversed() {
            if let isClose = delimiterKind(bytes, line, delimiters[level]) { return (level, isClose) }
        }
        return nil
    }

    /// Where a part ends that is followed by the delimiter line at `lineStart`: before the
    /// line end that precedes it, never before `floor`.
    static func beforeLineEnd(_ bytes: [UInt8], _ lineStart: Int, floor: Int) -> Int {
        var end = lineStart
        if end > floor, bytes[end - 1] == 10 { end -= 1 }
        if end > floor, bytes[end - 1] == 13 { end -= 1 }
        return end
    }

    /// nil if the line is not a delimiter; true for the close delimiter.
    private static func delimiterKind(_ bytes: [UInt8], _ line: Range<Int>, _ delimiter: [UInt8]) -> Bool? {
        guard line.count >= delimiter.count, bytes[line.lowerBound..<(line.lowerBound + delimiter.count)].elementsEqual(delimiter) else {
            return nil
        }
        var index = line.lowerBound + delimiter.count
        var isClose = false
        if index + 1 < line.upperBound, bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-") {
            isClose = true
            index += 2
        }
        // Only transport padding (whitespace) may follow.
        while index < line.upperBound {
            let byte = bytes[index]
            guard byte == 32 || byte == 9 || byte == 13 || byte == 10 else { return nil }
            index += 1
        }
        return isClose
    }
}

extension String {
    public func trimmingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" || first == "\r" || first == "\n" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" || last == "\n" { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}

/// Line-end conversion for messages stored with LF (Maildir files written by Unix tools).
public enum LineEndings {
    /// Converts every bare LF to CRLF (IMAP requires CRLF, RFC 3501 §2.2); existing CRLF stays.
    public static func crlf<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 40)
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == 10 && previous != 13 { output.append(13) }
            output.append(byte)
            previous = byte
        }
        return output
    }

    /// Lines in `bytes`: line ends, plus one if the last line is not terminated.
    public static func countLines(_ bytes: ArraySlice<UInt8>) -> Int {
        var count = 0
        for byte in bytes where byte == 10 { count += 1 }
        if let last = bytes.last, last != 10 { count += 1 }
        return count
    }
}
