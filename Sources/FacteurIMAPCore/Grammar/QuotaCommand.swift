/// One resource of a quota root (RFC 9208 §5): its name, usage and limit. STORAGE is in
/// units of 1024 octets, MESSAGE a count.
public struct QuotaResource: Hashable, Sendable {
    public var name: String
    public var usage: UInt64
    public var limit: UInt64

    public init(name: String, usage: UInt64, limit: UInt64) {
        self.name = name; self.usage = usage; self.limit = limit
    }

    public static let storage = "STORAGE"
    public static let message = "MESSAGE"
}

/// `setquota-resource = resource-name SP resource-limit` (RFC 9208 §9).
public struct QuotaResourceLimit: Hashable, Sendable {
    public var name: String
    public var limit: UInt64
    public init(name: String, limit: UInt64) { self.name = name; self.limit = limit }
}

extension IMAPReader {
    /// Resources one SETQUOTA may name (a bound on the list; RFC 9208 defines five).
    static let maxQuotaResources = 16

    /// `getquota = "GETQUOTA" SP quota-root-name`; `quota-root-name = astring`.
    mutating func getQuotaArguments() throws(IMAPParseError) -> Command {
        try space()
        return .getQuota(root: try astringText("a quota root"))
    }

    /// `getquotaroot = "GETQUOTAROOT" SP mailbox`
    mutating func getQuotaRootArguments() throws(IMAPParseError) -> Command {
        try space()
        return .getQuotaRoot(try mailbox())
    }

    /// `setquota = "SETQUOTA" SP quota-root-name SP setquota-list`,
    /// `setquota-list = "(" [setquota-resource *(SP setquota-resource)] ")"`.
    mutating func setQuotaArguments() throws(IMAPParseError) -> Command {
        try space()
        let root = try astringText("a quota root")
        try space()
        let limits = try parenthesizedList(allowEmpty: true, limit: Self.maxQuotaResources) { (reader: inout IMAPReader) throws(IMAPParseError) in
            let name = try reader.keyword("a resource name")
            try reader.space()
            return QuotaResourceLimit(name: name, limit: try reader.number64("a resource limit"))
        }
        return .setQuota(root: root, limits)
    }

    /// `number64 = 1*DIGIT` up to 2^63 - 1 (RFC 9051 §9).
    mutating func number64(_ what: String) throws(IMAPParseError) -> UInt64 {
        let digits = try take(what, while: IMAPGrammar.isDigit)
        guard digits.count <= 19 else { throw error("Number too large") }
        var value: UInt64 = 0
        for digit in digits { value = value * 10 + UInt64(digit - UInt8(ascii: "0")) }
        guard value <= UInt64(Int64.max) else { throw error("Number too large") }
        return value
    }
}

extension IMAPWriter {
    /// `quota-response = "QUOTA" SP quota-root-name SP quota-list`,
    /// `quota-list = "(" quota-resource *(SP quota-resource) ")"`,
    /// `quota-resource = resource-name SP resource-usage SP resource-limit`.
    mutating func quotaResponse(root: String, resources: [QuotaResource]) {
        raw("QUOTA "); astring(root); space()
        list(resources) { writer, r in writer.raw("\(r.name) \(r.usage) \(r.limit)") }
    }

    /// `quotaroot-response = "QUOTAROOT" SP mailbox *(SP quota-root-name)`
    mutating func quotaRootResponse(_ name: IMAPMailboxName, roots: [String]) {
        raw("QUOTAROOT "); mailbox(name)
        for root in roots { space(); astring(root) }
    }
}
