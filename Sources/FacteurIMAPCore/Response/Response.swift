import FacteurMIME

/// `resp-cond-state` / `resp-cond-bye` / tagged status words.
public enum ResponseStatus: String, Hashable, Sendable {
    case ok = "OK"
    case no = "NO"
    case bad = "BAD"
    /// Untagged greeting only (RFC 3501 §7.1.4).
    case preauth = "PREAUTH"
    /// Untagged only (RFC 3501 §7.1.5).
    case bye = "BYE"
}

/// One `mailbox-list` entry of LIST / LSUB.
public struct ListEntry: Hashable, Sendable {
    /// `mbx-list-flags`: `\HasChildren`, `\Noselect`, `\Sent`, …
    public var attributes: [String]
    /// nil for a flat namespace (sent as NIL).
    public var delimiter: Character?
    public var name: IMAPMailboxName
    /// RFC 5258 `CHILDINFO` extended data item: the selection criteria ("SUBSCRIBED") that
    /// descendants of this name meet (with RECURSIVEMATCH).
    public var childInfo: [String] = []

    public init(attributes: [String], delimiter: Character? = IMAPMailboxName.separator, name: IMAPMailboxName) {
        self.attributes = attributes; self.delimiter = delimiter; self.name = name
    }
}

/// `namespace-descr` (RFC 2342 §5).
public struct NamespaceDescription: Hashable, Sendable {
    public var prefix: String
    public var delimiter: Character?
    public init(prefix: String, delimiter: Character? = IMAPMailboxName.separator) {
        self.prefix = prefix; self.delimiter = delimiter
    }
}

/// One `msg-att` item of an untagged FETCH (RFC 3501 §7.4.2).
public enum FetchResponseItem: Hashable, Sendable {
    case flags([Flag])
    case internalDate(IMAPDateTime)
    case rfc822Size(Int)
    case uid(UInt32)
    case envelope(Envelope)
    /// `BODY` (no extension data).
    case body(BodyStructure)
    case bodyStructure(BodyStructure)
    /// `BODY[section]<origin>`: `origin` is set when the client asked for a partial fetch.
    case bodySection(SectionSpec, origin: UInt32?, data: [UInt8]?)
    case rfc822([UInt8]?)
    case rfc822Header([UInt8]?)
    case rfc822Text([UInt8]?)
    /// RFC 7162 §3.1.4.1 `MODSEQ (n)`
    case modSeq(UInt64)
    /// RFC 3516 `BINARY[part]<origin>`: `literal8` when the data holds NUL.
    case binary(part: [Int], origin: UInt32?, data: [UInt8]?)
    /// RFC 3516 `BINARY.SIZE[part]`.
    case binarySize(part: [Int], size: Int)
}

/// Untagged server data (RFC 3501 §7.1–§7.4 and extensions).
public enum UntaggedResponse: Hashable, Sendable {
    case condition(ResponseStatus, ResponseCode?, String)
    case capability([String])
    case list(ListEntry)
    case lsub(ListEntry)
    case status(IMAPMailboxName, [StatusItem])
    case exists(UInt32)
    case recent(UInt32)
    case expunge(UInt32)
    case fetch(UInt32, [FetchResponseItem])
    case search([UInt32])
    case flags([Flag])
    /// RFC 2342: personal, other users', shared; nil lists are NIL.
    case namespace(personal: [NamespaceDescription]?, otherUsers: [NamespaceDescription]?, shared: [NamespaceDescription]?)
    /// RFC 2971
    case id([IDParameter]?)
    /// RFC 5161
    case enabled([String])
    /// RFC 7162 §3.2.10 `VANISHED [(EARLIER)] uids`
    case vanished(earlier: Bool, SequenceSet)
    /// RFC 7162 §3.1.5: SEARCH results followed by `(MODSEQ n)` when the search used MODSEQ.
    case searchModSeq([UInt32], UInt64)
    /// RFC 4731
    case esearch(ESearchResponse)
    /// RFC 5256
    case sort([UInt32])
    case thread([ThreadNode])
    /// RFC 9208 §7.1, §7.2
    case quota(root: String, [QuotaResource])
    case quotaRoot(IMAPMailboxName, roots: [String])
}

/// `status-att SP number`
public struct StatusItem: Hashable, Sendable {
    public var attribute: StatusAttribute
    /// 64 bits: HIGHESTMODSEQ (RFC 7162) goes beyond 32.
    public var value: UInt64
    public init<V: BinaryInteger>(_ attribute: StatusAttribute, _ value: V) {
        self.attribute = attribute; self.value = UInt64(truncatingIfNeeded: value)
    }
}

/// Everything the server sends (RFC 3501 §7).
public enum IMAPResponse: Hashable, Sendable {
    case tagged(tag: String, status: ResponseStatus, code: ResponseCode?, text: String)
    case untagged(UntaggedResponse)
    /// `"+" SP resp-text`
    case continuation(String)
    /// `"+" SP base64` — a SASL challenge (RFC 3501 §6.2.2); empty challenge is "+ ".
    case challenge([UInt8])
}
