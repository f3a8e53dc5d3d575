/// Accumulates protocol output. Chooses between atom, quoted string and literal
/// (RFC 3501 §4.3): a string with 8-bit octets, CR, LF or NUL-free but otherwise
/// unquotable content, or a very long one, is sent as a literal.
public struct IMAPWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    /// Strings longer than this go out as literals even if they could be quoted.
    static let maxQuotedLength = 1024

    public init() {}

    public mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }
    public mutating func raw<C: Collection>(_ data: C) where C.Element == UInt8 { bytes.append(contentsOf: data) }
    public mutating func space() { bytes.append(UInt8(ascii: " ")) }
    public mutating func crlf() { bytes.append(contentsOf: [13, 10]) }

    /// True if `data` can travel as a quoted string.
    static func isQuotable<C: Collection>(_ data: C) -> Bool where C.Element == UInt8 {
        data.count <= maxQuotedLength && data.allSatisfy { $0 >= 0x01 && $0 <= 0x7F && $0 != 13 && $0 != 10 }
    }

    /// `string = quoted / literal`
    public mutating func string<C: Collection>(_ data: C) where C.Element == UInt8 {
        if Self.isQuotable(data) {
            bytes.append(UInt8(ascii: "\""))
            for byte in data {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        } else {
            literal(data)
        }
    }

    public mutating func string(_ text: String) { string(Array(text.utf8)) }

    /// `literal = "{" number "}" CRLF *CHAR8`
    public mutating func literal<C: Collection>(_ data: C) where C.Element == UInt8 {
        raw("{\(data.count)}")
        crlf()
        bytes.append(contentsOf: data)
    }

    /// `nstring = string / nil`
    public mutating func nstring<C: Collection>(_ data: C?) where C.Element == UInt8 {
        if let data { string(data) } else { raw("NIL") }
    }

    public mutating func nstring(_ text: String?) { nstring(text.map { Array($0.utf8) }) }

    /// `astring`: bare when every octet is an ASTRING-CHAR, otherwise a string.
    public mutating func astring(_ text: String) {
        let data = Array(text.utf8)
        if IMAPGrammar.isAstringAtom(data) && data.uppercased() != Array("NIL".utf8) { raw(data) } else { string(data) }
    }

    /// `mailbox`
    public mutating func mailbox(_ name: IMAPMailboxName) { astring(name.wire) }

    /// `"(" item *(SP item) ")"`
    public mutating func list<T>(_ items: [T], _ write: (inout IMAPWriter, T) -> Void) {
        raw("(")
        for (index, item) in items.enumerated() {
            if index > 0 { space() }
            write(&self, item)
        }
        raw(")")
    }
}

private extension Array where Element == UInt8 {
    func uppercased() -> [UInt8] { map(IMAPGrammar.upper) }
}
