/// `search-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"`
/// (RFC 4731 §3, RFC 5182 §2 SAVE, RFC 5267 §4.1 for SORT). An empty list means ALL.
public struct SearchReturnOptions: Hashable, Sendable {
    public var min = false
    public var max = false
    public var all = false
    public var count = false
    /// RFC 5182: keep the result for `$`.
    public var save = false

    public init(min: Bool = false, max: Bool = false, all: Bool = false, count: Bool = false, save: Bool = false) {
        self.min = min; self.max = max; self.all = all; self.count = count; self.save = save
    }

    /// `RETURN ()`: the same as `RETURN (ALL)` (RFC 4731 §3.1).
    public static let allResults = SearchReturnOptions(all: true)

    /// True when an ESEARCH response is due: SAVE alone returns none (RFC 5182 §2.4).
    public var answers: Bool { min || max || all || count }

    /// What SAVE keeps (RFC 5182 §2.4): only the minimum and/or maximum when they are the only
    /// other options, else every match.
    public func saved(_ matches: [UInt32]) -> [UInt32] {
        guard save, min || max, !all, !count, let first = matches.first, let last = matches.last else { return matches }
        if min && max { return first == last ? [first] : [first, last] }
        return min ? [first] : [last]
    }
}

extension IMAPReader {
    /// `SP "RETURN" SP "(" … ")"` if present (RFC 4731 §3.1), nil otherwise. On return the
    /// reader is before the SP that precedes the rest of the command.
    mutating func searchReturnOptions() throws(IMAPParseError) -> SearchReturnOptions? {
        let start = index
        guard skip(UInt8(ascii: " ")), skipKeyword("RETURN"), peek == UInt8(ascii: " ") else {
            index = start
            return nil
        }
        try space()
        let words = try parenthesizedList(allowEmpty: true, limit: 10) { (reader: inout IMAPReader) throws(IMAPParseError) in
            try reader.keyword("a return option")
        }
        if words.isEmpty { return .allResults }
        var options = SearchReturnOptions()
        for word in words {
            switch word {
            case "MIN": options.min = true
            case "MAX": options.max = true
            case "ALL": options.all = true
            case "COUNT": options.count = true
            case "SAVE": options.save = true
            default: throw error("Unknown search return option \(word)")
            }
        }
        return options
    }

    /// `search-criteria = charset 1*(SP search-key)` (RFC 5256 §5, after SORT's criteria and
    /// THREAD's algorithm): the charset is required; an unknown one is NO [BADCHARSET].
    mutating func charsetAndSearchKeys() throws(IMAPParseError) -> (charset: String, key: SearchKey) {
        try space()
        let name = try astringText("a charset")
        guard SearchCharset.isKnown(name) else {
            throw IMAPParseError("Unsupported charset \(name)", kind: .unsupportedCharset(name), tag: tag, offset: index)
        }
        var count = 0
        var keys: [SearchKey] = []
        repeat {
            try space()
            if atEnd && !keys.isEmpty { break }
            keys.append(try searchKey(charset: name, depth: 0, count: &count))
        } while peek == UInt8(ascii: " ")
        return (name, keys.count == 1 ? keys[0] : .and(keys))
    }
}

extension SearchCharset {
    /// A charset SEARCH, SORT and THREAD can decode, under any of its usual names.
    static func isKnown(_ name: String) -> Bool {
        decode([], charset: name) != nil
    }
}
