/// The arguments RFC 7162 (CONDSTORE / QRESYNC) adds to SELECT / EXAMINE, FETCH and STORE,
/// and its SEARCH key: parsed here, executed in `IMAPSession+CondStore.swift`.

/// `select-param` (RFC 7162 §3.1.8, §3.2.5): `(CONDSTORE)` and/or `(QRESYNC (…))`.
public struct SelectParameters: Hashable, Sendable {
    public var condstore: Bool
    public var qresync: QResyncParameters?

    public init(condstore: Bool = false, qresync: QResyncParameters? = nil) {
        self.condstore = condstore; self.qresync = qresync
    }
}

/// `"QRESYNC" SP "(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")"`
public struct QResyncParameters: Hashable, Sendable {
    public var uidValidity: UInt32
    public var modSeq: UInt64
    /// The UIDs the client knows; nil is "all of them".
    public var knownUIDs: SequenceSet?
    /// `seq-match-data = "(" known-sequence-set SP known-uid-set ")"`. We remember every
    /// expunge exactly, so this hint is parsed and not needed (RFC 7162 §3.2.5.2 lets a
    /// server ignore it).
    public var sequenceMatch: SequenceMatchData?

    public init(uidValidity: UInt32, modSeq: UInt64, knownUIDs: SequenceSet? = nil, sequenceMatch: SequenceMatchData? = nil) {
        self.uidValidity = uidValidity; self.modSeq = modSeq; self.knownUIDs = knownUIDs; self.sequenceMatch = sequenceMatch
    }
}

/// `seq-match-data`: message sequence numbers and the UIDs the client had for them.
public struct SequenceMatchData: Hashable, Sendable {
    public var sequences: SequenceSet
    public var uids: SequenceSet
    public init(sequences: SequenceSet, uids: SequenceSet) { self.sequences = sequences; self.uids = uids }
}

/// `fetch-modifier` (RFC 7162 §3.1.4.1, §3.2.6): `CHANGEDSINCE n` and `VANISHED`.
public struct FetchModifiers: Hashable, Sendable {
    public var changedSince: UInt64?
    public var vanished: Bool

    public init(changedSince: UInt64? = nil, vanished: Bool = false) {
        self.changedSince = changedSince; self.vanished = vanished
    }
}

extension IMAPReader {
    /// `mod-sequence-value = 1*DIGIT` (RFC 7162 §7): 1 to 2^63-1; `mod-sequence-valzer` also 0.
    mutating func modSequence(allowZero: Bool) throws(IMAPParseError) -> UInt64 {
        let start = index
        let digits = try take("a mod-sequence", while: IMAPGrammar.isDigit)
        guard digits.count <= 19 else { index = start; throw error("Mod-sequence too large") }
        var value: UInt64 = 0
        for digit in digits { value = value * 10 + UInt64(digit - UInt8(ascii: "0")) }
        guard value <= UInt64(Int64.max) else { index = start; throw error("Mod-sequence too large") }
        guard allowZero || value > 0 else { index = start; throw error("Mod-sequence must not be 0") }
        return value
    }

    /// `select-params = SP "(" select-param *(SP select-param) ")"` after the mailbox name.
    mutating func selectParameters() throws(IMAPParseError) -> SelectParameters {
        try space()
        var parameters = SelectParameters()
        _ = try parenthesizedList(limit: 4) { (reader: inout IMAPReader) throws(IMAPParseError) in
            let name = try reader.keyword("a select parameter")
            switch name {
            case "CONDSTORE": parameters.condstore = true
            case "QRESYNC":
                try reader.space()
                parameters.qresync = try reader.qresyncParameters()
            default: throw reader.error("Unknown select parameter \(name)")
            }
        }
        return parameters
    }

    private mutating func qresyncParameters() throws(IMAPParseError) -> QResyncParameters {
        try expect(UInt8(ascii: "("), "'(' after QRESYNC")
        let validity = try nzNumber("a UIDVALIDITY")
        try space()
        var result = QResyncParameters(uidValidity: validity, modSeq: try modSequence(allowZero: false))
        if skip(UInt8(ascii: " ")), peek != UInt8(ascii: "(") {
            result.knownUIDs = try sequenceSet()
            _ = skip(UInt8(ascii: " "))
        }
        if skip(UInt8(ascii: "(")) {
            let sequences = try sequenceSet()
            try space()
            let uids = try sequenceSet()
            try expect(UInt8(ascii: ")"), "')' closing the sequence match data")
            result.sequenceMatch = SequenceMatchData(sequences: sequences, uids: uids)
        }
        try expect(UInt8(ascii: ")"), "')' closing QRESYNC")
        return result
    }

    /// `fetch-modifiers = SP "(" fetch-modifier *(SP fetch-modifier) ")"` after the attributes.
    mutating func fetchModifiers() throws(IMAPParseError) -> FetchModifiers {
        try space()
        var modifiers = FetchModifiers()
        _ = try parenthesizedList(limit: 4) { (reader: inout IMAPReader) throws(IMAPParseError) in
            let name = try reader.keyword("a fetch modifier")
            switch name {
            case "CHANGEDSINCE":
                try reader.space()
                modifiers.changedSince = try reader.modSequence(allowZero: false)
            case "VANISHED": modifiers.vanished = true
            default: throw reader.error("Unknown fetch modifier \(name)")
            }
        }
        return modifiers
    }

    /// `store-modifiers = SP "(" "UNCHANGEDSINCE" SP mod-sequence-valzer ")"` before the flags.
    mutating func storeModifiers() throws(IMAPParseError) -> UInt64 {
        var unchangedSince: UInt64?
        _ = try parenthesizedList(limit: 4) { (reader: inout IMAPReader) throws(IMAPParseError) in
            let name = try reader.keyword("a store modifier")
            guard name == "UNCHANGEDSINCE" else { throw reader.error("Unknown store modifier \(name)") }
            try reader.space()
            unchangedSince = try reader.modSequence(allowZero: true)
        }
        guard let unchangedSince else { throw error("Expected UNCHANGEDSINCE") }
        try space()
        return unchangedSince
    }

    /// `search-modsequence = "MODSEQ" [search-modseq-ext] SP mod-sequence-valzer`,
    /// `search-modseq-ext = SP entry-name SP entry-type-req` — after "MODSEQ". We keep one
    /// mod-sequence per message, not one per flag, so the entry is checked and then the
    /// message's value is used (RFC 7162 §3.1.5 allows it).
    mutating func searchModSeq() throws(IMAPParseError) -> UInt64 {
        try space()
        if peek == UInt8(ascii: "\"") {
            let entry = String(decoding: try quoted(), as: UTF8.self).lowercased()
            guard entry.hasPrefix("/flags/") else { throw error("Unknown MODSEQ entry \(entry)") }
            try space()
            let type = try keyword("an entry type")
            guard ["PRIV", "SHARED", "ALL"].contains(type) else { throw error("Unknown MODSEQ entry type \(type)") }
            try space()
        }
        return try modSequence(allowZero: true)
    }
}

extension IMAPWriter {
    /// `"(" select-param *(SP select-param) ")"`
    mutating func selectParameters(_ parameters: SelectParameters) {
        var items: [String] = []
        if parameters.condstore { items.append("CONDSTORE") }
        if let resync = parameters.qresync {
            var text = "QRESYNC (\(resync.uidValidity) \(resync.modSeq)"
            if let known = resync.knownUIDs { text += " \(known)" }
            if let match = resync.sequenceMatch { text += " (\(match.sequences) \(match.uids))" }
            items.append(text + ")")
        }
        raw("(" + items.joined(separator: " ") + ")")
    }

    /// `"(" fetch-modifier *(SP fetch-modifier) ")"`
    mutating func fetchModifiers(_ modifiers: FetchModifiers) {
        var items: [String] = []
        if let since = modifiers.changedSince { items.append("CHANGEDSINCE \(since)") }
        if modifiers.vanished { items.append("VANISHED") }
        raw("(" + items.joined(separator: " ") + ")")
    }
}
