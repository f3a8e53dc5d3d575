/// `search-key` (RFC 3501 §6.4.4, §9). Strings are already decoded from the command's
/// CHARSET. A parenthesised list is `.and`.
public indirect enum SearchKey: Hashable, Sendable {
    case all
    case answered, deleted, draft, flagged, new, old, recent, seen
    case unanswered, undeleted, undraft, unflagged, unseen
    case keyword(Flag), unkeyword(Flag)
    case bcc(String), body(String), cc(String), from(String), subject(String), text(String), to(String)
    case header(String, String)
    case before(IMAPDate), on(IMAPDate), since(IMAPDate)
    case sentBefore(IMAPDate), sentOn(IMAPDate), sentSince(IMAPDate)
    case larger(UInt32), smaller(UInt32)
    case uid(SequenceSet)
    case sequenceNumbers(SequenceSet)
    case not(SearchKey)
    case or(SearchKey, SearchKey)
    case and([SearchKey])
    /// RFC 7162 §3.1.5: mod-sequence at least this.
    case modSeq(UInt64)
}

/// The SEARCH charsets we can decode (announced in `[BADCHARSET]`).
public enum SearchCharset {
    public static let supported = ["US-ASCII", "UTF-8", "ISO-8859-1"]

    static func decode(_ bytes: [UInt8], charset: String?) -> String? {
        switch charset?.uppercased() {
        case nil, "US-ASCII", "UTF-8", "UTF8": return String(validating: bytes, as: UTF8.self)
        case "ISO-8859-1", "LATIN1": return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        default: return nil
        }
    }
}

extension IMAPReader {
    /// `search = "SEARCH" [SP "CHARSET" SP astring] 1*(SP search-key)` — after "SEARCH".
    mutating func searchProgram() throws(IMAPParseError) -> (charset: String?, key: SearchKey) {
        try space()
        var charset: String?
        let save = index
        if skipKeyword("CHARSET"), peek == UInt8(ascii: " ") {
            try space()
            let name = try astringText("a charset")
            guard SearchCharset.supported.contains(name.uppercased()) || name.uppercased() == "UTF8" || name.uppercased() == "LATIN1" else {
                throw IMAPParseError("Unsupported charset \(name)", kind: .unsupportedCharset(name), tag: tag, offset: index)
            }
            charset = name
            try space()
        } else {
            index = save
        }
        var count = 0
        var keys: [SearchKey] = [try searchKey(charset: charset, depth: 0, count: &count)]
        while peek == UInt8(ascii: " ") {
            try space()
            if atEnd { break }
            keys.append(try searchKey(charset: charset, depth: 0, count: &count))
        }
        return (charset, keys.count == 1 ? keys[0] : .and(keys))
    }

    private mutating func searchString(_ charset: String?) throws(IMAPParseError) -> String {
        try space()
        let bytes = try astring("a search string")
        guard let text = SearchCharset.decode(bytes, charset: charset) else {
            throw error("Search string is not valid \(charset ?? "US-ASCII")")
        }
        return text
    }

    mutating func searchKey(charset: String?, depth: Int, count: inout Int) throws(IMAPParseError) -> SearchKey {
        guard depth < IMAPLimits.maxSearchDepth else { throw error("Search program nested too deeply") }
        count += 1
        guard count <= IMAPLimits.maxSearchKeys else { throw error("Search program too long") }
        if peek == UInt8(ascii: "(") {
            var keys: [SearchKey] = []
            try expect(UInt8(ascii: "("), "'('")
            while true {
                keys.append(try searchKey(charset: charset, depth: depth + 1, count: &count))
                if skip(UInt8(ascii: ")")) { break }
                try space()
                if skip(UInt8(ascii: ")")) { break }
            }
            return .and(keys)
        }
        if let byte = peek, IMAPGrammar.isDigit(byte) || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "$") {
            return .sequenceNumbers(try sequenceSet())
        }
        let word = try keyword("a search key")
        switch word {
        case "ALL": return .all
        case "ANSWERED": return .answered
        case "DELETED": return .deleted
        case "DRAFT": return .draft
        case "FLAGGED": return .flagged
        case "NEW": return .new
        case "OLD": return .old
        case "RECENT": return .recent
        case "SEEN": return .seen
        case "UNANSWERED": return .unanswered
        case "UNDELETED": return .undeleted
        case "UNDRAFT": return .undraft
        case "UNFLAGGED": return .unflagged
        case "UNSEEN": return .unseen
        case "KEYWORD": try space(); return .keyword(Flag(try atom("a keyword")))
        case "UNKEYWORD": try space(); return .unkeyword(Flag(try atom("a keyword")))
        case "BCC": return .bcc(try searchString(charset))
        case "BODY": return .body(try searchString(charset))
        case "CC": return .cc(try searchString(charset))
        case "FROM": return .from(try searchString(charset))
        case "SUBJECT": return .subject(try searchString(charset))
        case "TEXT": return .text(try searchString(charset))
        case "TO": return .to(try searchString(charset))
        case "HEADER":
            try space()
            let field = try astringText("a header field name")
            return .header(field, try searchString(charset))
        case "BEFORE": try space(); return .before(try date())
        case "ON": try space(); return .on(try date())
        case "SINCE": try space(); return .since(try date())
        case "SENTBEFORE": try space(); return .sentBefore(try date())
        case "SENTON": try space(); return .sentOn(try date())
        case "SENTSINCE": try space(); return .sentSince(try date())
        case "LARGER": try space(); return .larger(try number("a size"))
        case "SMALLER": try space(); return .smaller(try number("a size"))
        case "UID": try space(); return .uid(try sequenceSet())
        case "MODSEQ": return .modSeq(try searchModSeq())
        case "NOT":
            try space()
            return .not(try searchKey(charset: charset, depth: depth + 1, count: &count))
        case "OR":
            try space()
            let first = try searchKey(charset: charset, depth: depth + 1, count: &count)
            try space()
            return .or(first, try searchKey(charset: charset, depth: depth + 1, count: &count))
        default:
            throw error("Unknown search key \(word)")
        }
    }
}

extension IMAPWriter {
    /// Writes a search key in the grammar `IMAPReader.searchKey` reads (UTF-8 strings).
    public mutating func searchKey(_ key: SearchKey) {
        switch key {
        case .all: raw("ALL")
        case .answered: raw("ANSWERED")
        case .deleted: raw("DELETED")
        case .draft: raw("DRAFT")
        case .flagged: raw("FLAGGED")
        case .new: raw("NEW")
        case .old: raw("OLD")
        case .recent: raw("RECENT")
        case .seen: raw("SEEN")
        case .unanswered: raw("UNANSWERED")
        case .undeleted: raw("UNDELETED")
        case .undraft: raw("UNDRAFT")
        case .unflagged: raw("UNFLAGGED")
        case .unseen: raw("UNSEEN")
        case .keyword(let flag): raw("KEYWORD \(flag.raw)")
        case .unkeyword(let flag): raw("UNKEYWORD \(flag.raw)")
        case .bcc(let text): raw("BCC "); string(text)
        case .body(let text): raw("BODY "); string(text)
        case .cc(let text): raw("CC "); string(text)
        case .from(let text): raw("FROM "); string(text)
        case .subject(let text): raw("SUBJECT "); string(text)
        case .text(let text): raw("TEXT "); string(text)
        case .to(let text): raw("TO "); string(text)
        case .header(let field, let text): raw("HEADER "); astring(field); space(); string(text)
        case .before(let date): raw("BEFORE \(date)")
        case .on(let date): raw("ON \(date)")
        case .since(let date): raw("SINCE \(date)")
        case .sentBefore(let date): raw("SENTBEFORE \(date)")
        case .sentOn(let date): raw("SENTON \(date)")
        case .sentSince(let date): raw("SENTSINCE \(date)")
        case .larger(let size): raw("LARGER \(size)")
        case .smaller(let size): raw("SMALLER \(size)")
        case .uid(let set): raw("UID \(set)")
        case .sequenceNumbers(let set): raw(set.description)
        case .not(let inner): raw("NOT "); searchKey(inner)
        case .or(let first, let second): raw("OR "); searchKey(first); space(); searchKey(second)
        case .and(let keys): list(keys) { $0.searchKey($1) }
        case .modSeq(let value): raw("MODSEQ \(value)")
        }
    }
}
