/// `sort-key` (RFC 5256 §3, RFC 5957 §3 DISPLAYFROM / DISPLAYTO).
public enum SortKey: String, Hashable, Sendable, CaseIterable {
    case arrival = "ARRIVAL"
    case cc = "CC"
    case date = "DATE"
    case from = "FROM"
    case size = "SIZE"
    case subject = "SUBJECT"
    case to = "TO"
    case displayFrom = "DISPLAYFROM"
    case displayTo = "DISPLAYTO"
}

/// `sort-criterion = ["REVERSE" SP] sort-key`
public struct SortCriterion: Hashable, Sendable {
    public var key: SortKey
    public var reverse: Bool
    public init(_ key: SortKey, reverse: Bool = false) { self.key = key; self.reverse = reverse }
}

/// `sort = ["UID" SP] "SORT" [sort-return-opts] SP sort-criteria SP search-criteria`
/// (RFC 5256 §5, RFC 5267 §3.2 ESORT). With `returning` the answer is ESEARCH, not SORT.
public struct SortCommand: Hashable, Sendable {
    public var criteria: [SortCriterion]
    public var charset: String
    public var key: SearchKey
    public var uid: Bool
    public var returning: SearchReturnOptions?

    public init(criteria: [SortCriterion], charset: String = "UTF-8", key: SearchKey, uid: Bool = false,
                returning: SearchReturnOptions? = nil) {
        self.criteria = criteria; self.charset = charset; self.key = key; self.uid = uid; self.returning = returning
    }
}

/// `thread-alg` (RFC 5256 §5): the algorithms we announce as THREAD=….
public enum ThreadAlgorithm: String, Hashable, Sendable, CaseIterable {
    case orderedSubject = "ORDEREDSUBJECT"
    case references = "REFERENCES"
}

/// `thread = ["UID" SP] "THREAD" SP thread-alg SP search-criteria` (RFC 5256 §5)
public struct ThreadCommand: Hashable, Sendable {
    public var algorithm: ThreadAlgorithm
    public var charset: String
    public var key: SearchKey
    public var uid: Bool

    public init(algorithm: ThreadAlgorithm, charset: String = "UTF-8", key: SearchKey, uid: Bool = false) {
        self.algorithm = algorithm; self.charset = charset; self.key = key; self.uid = uid
    }
}

/// SEARCH with `RETURN (…)` (RFC 4731 §3.1): answered with ESEARCH.
public struct ExtendedSearchCommand: Hashable, Sendable {
    public var charset: String?
    public var key: SearchKey
    public var uid: Bool
    public var returning: SearchReturnOptions

    public init(charset: String? = nil, key: SearchKey, uid: Bool = false, returning: SearchReturnOptions) {
        self.charset = charset; self.key = key; self.uid = uid; self.returning = returning
    }
}

extension IMAPReader {
    /// After "SEARCH" / "UID SEARCH": plain SEARCH, or ESEARCH when `RETURN (…)` follows.
    mutating func searchCommand(uid: Bool) throws(IMAPParseError) -> Command {
        let returning = try searchReturnOptions()
        let (charset, key) = try searchProgram()
        guard let returning else { return .search(charset: charset, key: key, uid: uid) }
        return .extendedSearch(ExtendedSearchCommand(charset: charset, key: key, uid: uid, returning: returning))
    }

    /// After "SORT" / "UID SORT".
    mutating func sortCommand(uid: Bool) throws(IMAPParseError) -> Command {
        let returning = try searchReturnOptions()
        try space()
        let criteria = try parenthesizedList(limit: IMAPLimits.maxSortCriteria) { (reader: inout IMAPReader) throws(IMAPParseError) in
            var word = try reader.keyword("a sort key")
            var reverse = false
            if word == "REVERSE" {
                try reader.space()
                word = try reader.keyword("a sort key")
                reverse = true
            }
            guard let key = SortKey(rawValue: word) else { throw reader.error("Unknown sort key \(word)") }
            return SortCriterion(key, reverse: reverse)
        }
        let (charset, key) = try charsetAndSearchKeys()
        return .sort(SortCommand(criteria: criteria, charset: charset, key: key, uid: uid, returning: returning))
    }

    /// After "THREAD" / "UID THREAD".
    mutating func threadCommand(uid: Bool) throws(IMAPParseError) -> Command {
        try space()
        let word = try keyword("a threading algorithm")
        guard let algorithm = ThreadAlgorithm(rawValue: word) else { throw error("Unknown threading algorithm \(word)") }
        let (charset, key) = try charsetAndSearchKeys()
        return .thread(ThreadCommand(algorithm: algorithm, charset: charset, key: key, uid: uid))
    }
}

extension IMAPWriter {
    mutating func searchReturnOptions(_ options: SearchReturnOptions) {
        var words: [String] = []
        if options.min { words.append("MIN") }
        if options.max { words.append("MAX") }
        if options.all { words.append("ALL") }
        if options.count { words.append("COUNT") }
        if options.save { words.append("SAVE") }
        raw(" RETURN (" + words.joined(separator: " ") + ")")
    }

    mutating func extendedSearch(_ command: ExtendedSearchCommand) {
        raw(command.uid ? "UID SEARCH" : "SEARCH")
        searchReturnOptions(command.returning)
        if let charset = command.charset { raw(" CHARSET "); astring(charset) }
        space()
        searchProgram(command.key)
    }

    mutating func sortCommand(_ command: SortCommand) {
        raw(command.uid ? "UID SORT" : "SORT")
        if let returning = command.returning { searchReturnOptions(returning) }
        space()
        list(command.criteria) { writer, criterion in writer.raw((criterion.reverse ? "REVERSE " : "") + criterion.key.rawValue) }
        space(); astring(command.charset); space()
        searchProgram(command.key)
    }

    mutating func threadCommand(_ command: ThreadCommand) {
        raw((command.uid ? "UID THREAD " : "THREAD ") + command.algorithm.rawValue)
        space(); astring(command.charset); space()
        searchProgram(command.key)
    }
}
