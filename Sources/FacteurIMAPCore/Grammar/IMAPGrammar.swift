/// Character classes of the RFC 3501 §9 ABNF, on bytes.
public enum IMAPGrammar {
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// `CTL = %x00-1F / %x7F`
    static func isCTL(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x7F }

    /// `ATOM-CHAR = <any CHAR except atom-specials>`;
    /// `atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials`
    static func isAtomChar(_ byte: UInt8) -> Bool {
        guard byte > 0x20 && byte < 0x7F else { return false }
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "{"), UInt8(ascii: "%"), UInt8(ascii: "*"),
             UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "]"):
            return false
        default:
            return true
        }
    }

    /// `ASTRING-CHAR = ATOM-CHAR / resp-specials`
    static func isAstringChar(_ byte: UInt8) -> Bool { isAtomChar(byte) || byte == UInt8(ascii: "]") }

    /// `tag = 1*<any ASTRING-CHAR except "+">`
    static func isTagChar(_ byte: UInt8) -> Bool { isAstringChar(byte) && byte != UInt8(ascii: "+") }

    /// `list-char = ATOM-CHAR / list-wildcards / resp-specials`
    static func isListChar(_ byte: UInt8) -> Bool {
        isAstringChar(byte) || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "*")
    }

    /// True if `text` can be sent as an atom.
    public static func isAtom(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isAtomChar)
    }

    /// True if `text` can be sent as an astring without quoting.
    static func isAstringAtom(_ bytes: [UInt8]) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(isAstringChar)
    }

    static func upper(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) ? byte - 32 : byte
    }

    /// The tag at the start of a (possibly partial) command, if it is a valid tag followed by SP.
    public static func leadingTag<C: Collection>(_ bytes: C) -> String? where C.Element == UInt8 {
        var tag: [UInt8] = []
        for byte in bytes {
            if byte == UInt8(ascii: " ") { break }
            guard isTagChar(byte), tag.count < 64 else { return nil }
            tag.append(byte)
        }
        return tag.isEmpty ? nil : String(decoding: tag, as: UTF8.self)
    }

    /// True if the command's second token is APPEND (the framer streams APPEND literals).
    static func isAppendCommand(_ bytes: [UInt8]) -> Bool {
        guard let space = bytes.firstIndex(of: UInt8(ascii: " ")) else { return false }
        let word = Array("APPEND ".utf8)
        let start = space + 1
        guard bytes.count >= start + word.count else { return false }
        for (offset, expected) in word.enumerated() where upper(bytes[start + offset]) != expected { return false }
        return true
    }
}
