import Foundation

/// What SORT (RFC 5256 §3, RFC 5957 DISPLAYFROM / DISPLAYTO) and THREAD (RFC 5256 §2) read of
/// a message's header, reduced once to comparable keys: the mailbox index stores them so that
/// a request never parses a message.
///
/// String keys are casemapped with i;unicode-casemap (`BaseSubject.casemap`): two keys compare
/// as their UTF-8 octets.
public struct MessageSortFields: Hashable, Sendable {
    /// The `Date:` header as an instant (RFC 5256 "sent date"); nil when missing or unreadable
    /// (SORT then uses the INTERNALDATE).
    public var sentDate: Date?
    public var subject: BaseSubject
    /// RFC 5256 FROM / TO / CC: the addr-mailbox (local part, or a group's name) of the first address.
    public var fromKey: String
    public var toKey: String
    public var ccKey: String
    /// RFC 5957: the decoded display name of the first address, else its addr-spec (or a group's name).
    public var displayFrom: String
    public var displayTo: String
    /// `Message-ID:` without its angle brackets; nil when missing or invalid.
    public var messageID: String?
    /// The parents to link, oldest first (RFC 5256 §2.2 step 1): `References:`, or the first
    /// message ID of `In-Reply-To:` when References holds none.
    public var references: [String]

    public init(sentDate: Date? = nil, subject: BaseSubject = BaseSubject(key: "", isReplyOrForward: false),
                fromKey: String = "", toKey: String = "", ccKey: String = "", displayFrom: String = "",
                displayTo: String = "", messageID: String? = nil, references: [String] = []) {
        self.sentDate = sentDate; self.subject = subject; self.fromKey = fromKey; self.toKey = toKey; self.ccKey = ccKey
        self.displayFrom = displayFrom; self.displayTo = displayTo; self.messageID = messageID; self.references = references
    }

    /// The header fields this reads (for `HeaderPeek.fields`).
    public static let headerNames = ["date", "subject", "from", "to", "cc", "message-id", "references", "in-reply-to"]

    /// Reads the fields from the start of a message (its header section, or the first bytes of it).
    public init(header bytes: [UInt8]) {
        self.init(fields: HeaderPeek.fields(Self.headerNames, in: bytes))
    }

    /// From the first value of each field, keyed by lowercased name (`HeaderPeek.fields`).
    public init(fields: [String: String]) {
        sentDate = fields["date"].flatMap(RFC5322Date.parse)
        subject = BaseSubject(subject: fields["subject"])
        let from = fields["from"].map(Self.firstAddress), to = fields["to"].map(Self.firstAddress)
        fromKey = Self.mailboxKey(from ?? nil)
        toKey = Self.mailboxKey(to ?? nil)
        ccKey = Self.mailboxKey(fields["cc"].map(Self.firstAddress) ?? nil)
        displayFrom = Self.displayKey(from ?? nil)
        displayTo = Self.displayKey(to ?? nil)
        messageID = fields["message-id"].flatMap { Self.messageIDs(in: $0).first }
        var references = fields["references"].map { Self.messageIDs(in: $0) } ?? []
        if references.isEmpty, let parent = fields["in-reply-to"].flatMap({ Self.messageIDs(in: $0).first }) {
            references = [parent]
        }
        self.references = Array(references.suffix(MIMELimits.maxSortReferences))
    }

    private static func firstAddress(_ value: String) -> EnvelopeAddress? {
        AddressParser.parse(String(value.prefix(MIMELimits.maxSortAddressField))).first
    }

    private static func mailboxKey(_ address: EnvelopeAddress?) -> String {
        BaseSubject.casemap(address?.mailbox.map(EncodedWord.decode) ?? "")
    }

    private static func displayKey(_ address: EnvelopeAddress?) -> String {
        guard let address else { return "" }
        if let name = address.name.map(EncodedWord.decode), !name.trimmingCharacters(in: .whitespaces).isEmpty {
            return BaseSubject.casemap(name)
        }
        var spec = address.mailbox ?? ""
        if let host = address.host, !host.isEmpty, host != AddressParser.missingHost { spec += "@" + host }
        return BaseSubject.casemap(spec)
    }

    /// Every `"<" id ">"` of a field (RFC 5322 §3.6.4 msg-id; comments and other text between
    /// them skipped), without the brackets.
    public static func messageIDs(in value: String) -> [String] {
        var ids: [String] = []
        var current: [UInt8]?
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "<"): current = []
            case UInt8(ascii: ">"):
                if let id = current, !id.isEmpty, id.count <= MIMELimits.maxMessageIDLength {
                    ids.append(String(decoding: id, as: UTF8.self))
                    if ids.count >= MIMELimits.maxSortReferences * 2 { ids.removeFirst(MIMELimits.maxSortReferences) }
                }
                current = nil
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                continue
            default: current?.append(byte)
            }
        }
        return ids
    }
}
