import FacteurPOP3Core

/// Frames IMAP server responses: a response is a line, unless that line ends in a literal
/// announcement `{n}` (RFC 3501 §4.3, §7.5), in which case n raw octets and a further line follow,
/// as many times as needed. A frame is only returned complete; until then `next()` returns nil
/// and input may arrive split anywhere, even inside the `{n}` or the literal.
public struct IMAPResponseFramer: Sendable {
    public enum Part: Sendable, Equatable {
        /// A line or the continuation of one, without CRLF.
        case text([UInt8])
        /// The octets of a literal.
        case literal([UInt8])
    }

    public enum FramingError: Error, Sendable, Equatable {
        case lineTooLong
        case literalTooLarge(Int)
    }

    private var lines: LineFramer
    private var parts: [Part] = []
    private var textOctets = 0
    private var literalLength: Int?
    private let maximumLiteral: Int
    private let maximumText: Int

    /// - Parameters:
    ///   - maximumLineLength: longest single line (and total of the lines of one response).
    ///   - maximumLiteral: largest literal (a whole message for `BODY[]`).
    public init(maximumLineLength: Int, maximumLiteral: Int) {
        lines = LineFramer(maximumLineLength: maximumLineLength)
        self.maximumLiteral = maximumLiteral
        maximumText = maximumLineLength
    }

    public mutating func append(_ bytes: [UInt8]) { lines.append(bytes) }

    public var bufferedCount: Int { lines.bufferedCount }

    public mutating func next() -> Result<[Part], FramingError>? {
        while true {
            if let count = literalLength {
                guard let bytes = lines.nextBytes(count: count) else { return nil }
                parts.append(.literal(bytes))
                literalLength = nil
                continue
            }
            guard let frame = lines.next() else { return nil }
            guard case .line(let line) = frame else { return .failure(.lineTooLong) }
            textOctets += line.count
            guard textOctets <= maximumText else { return .failure(.lineTooLong) }
            parts.append(.text(line))
            if let announced = Self.literalAnnouncement(line) {
                guard announced <= maximumLiteral else { return .failure(.literalTooLarge(announced)) }
                literalLength = announced
                continue
            }
            let complete = parts
            parts = []; textOctets = 0
            return .success(complete)
        }
    }

    /// literal = "{" number ["+"] "}" CRLF   (RFC 3501 §9; "+" is LITERAL+, RFC 7888)
    /// Returns the announced size if the line ends with a literal announcement.
    static func literalAnnouncement(_ line: [UInt8]) -> Int? {
        guard line.last == UInt8(ascii: "}"), let open = line.lastIndex(of: UInt8(ascii: "{")) else { return nil }
        var digits = line[(open + 1)..<(line.count - 1)]
        if digits.last == UInt8(ascii: "+") { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
