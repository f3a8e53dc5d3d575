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
        budget -= 1
        let (headerRange, bodyRange) = MessageHeader.split(bytes, range: range)
        let header = MessageHeader(bytes, range: headerRange)
        let contentType = header.first("Content-Type").flatMap(MIMEFieldValue.contentType) ?? defaultType
        var content = Content.leaf
        if depth < MIMELimits.maxMIMEDepth && budget > 0 {
            if contentType.value == "multipart", let boundary = contentType.parameter("boundary"), !boundary.isEmpty {
                let childDefault: MIMEFieldValue = contentType.subtype == "digest" ? .messageRFC822 : .textPlain
                var ranges = MultipartSplitter.parts(bytes, body: bodyRange, boundary: Array(boundary.utf8))
                if ranges.isEmpty { ranges = [bodyRange.upperBound..<bodyRange.upperBound] }
                var children: [MIMEPart] = []
                for childRange in ranges where budget > 0 {
                    children.append(parse(bytes, range: childRange, defaultType: childDefault, depth: depth + 1, budget: &budget))
                }
                content = .multipart(children)
            } else if contentType.value == "message" && contentType.subtype == "rfc822",
                      Self.isIdentityEncoding(header.first("Content-Transfer-Encoding")) {
                // RFC 2046 §5.2.1: only 7bit, 8bit or binary; an encoded message/rfc822 (seen in
                // the wild) is left opaque rather than parsed as garbage.
                let inner = parse(bytes, range: bodyRange, defaultType: .textPlain, depth: depth + 1, budget: &budget)
                content = .message(MIMEPartBox(inner))
            }
        }
        return MIMEPart(header: header, headerRange: headerRange, bodyRange: bodyRange,
                        contentType: contentType, content: content)
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
    static let textPlain = MIMEFieldValue(value: "text", subtype: "plain", parameters: [BodyParameter("charset", "US-ASCII")])
    /// RFC 2046 §5.1.5 default inside multipart/digest.
    static let messageRFC822 = MIMEFieldValue(value: "message", subtype: "rfc822", parameters: [])
}

/// Finds the body parts of a multipart body (RFC 2046 §5.1.1).
enum MultipartSplitter {
    /// Ranges of the parts between the delimiter lines. The line end before a delimiter
    /// belongs to the delimiter; preamble and epilogue are dropped; a missing close delimiter
    /// ends the last part at the end of the body (leniency for truncated mail).
    static func parts(_ bytes: [UInt8], body: Range<Int>, boundary: [UInt8]) -> [Range<Int>] {
        let delimiter = [UInt8(ascii: "-"), UInt8(ascii: "-")] + boundary
        var result: [Range<Int>] = []
        var partStart: Int?
        var lineStart = body.lowerBound
        while lineStart < body.upperBound, result.count < MIMELimits.maxMIMEParts {
            let lineEnd = MessageHeader.endOfLine(bytes, from: lineStart, limit: body.upperBound)
            if let isClose = delimiterKind(bytes, lineStart..<lineEnd, delimiter) {
                if let start = partStart {
                    var end = lineStart
                    if end > start, bytes[end - 1] == 10 { end -= 1 }
                    if end > start, bytes[end - 1] == 13 { end -= 1 }
                    result.append(start..<end)
                }
                if isClose { return result }
                partStart = lineEnd
            }
            lineStart = lineEnd
        }
        if let start = partStart { result.append(start..<body.upperBound) }
        return result
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
