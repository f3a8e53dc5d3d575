/// One element of an ENVELOPE address list (RFC 3501 §7.4.2): a mailbox, or a group
/// marker — start `(NIL NIL "group" NIL)`, end `(NIL NIL NIL NIL)`.
public struct EnvelopeAddress: Hashable, Sendable {
    /// Display name, raw (encoded words are left for the client to decode).
    public var name: String?
    /// Source route (obsolete `@a,@b:` before the address), nil when there is none.
    public var adl: String?
    /// Local part, or the group name in a group-start marker.
    public var mailbox: String?
    /// Domain; nil in group markers.
    public var host: String?

    public init(name: String? = nil, adl: String? = nil, mailbox: String?, host: String?) {
        self.name = name; self.adl = adl; self.mailbox = mailbox; self.host = host
    }

    public static func groupStart(_ name: String) -> EnvelopeAddress { EnvelopeAddress(mailbox: name, host: nil) }
    public static let groupEnd = EnvelopeAddress(mailbox: nil, host: nil)
}

/// The ENVELOPE fetch item (RFC 3501 §7.4.2). Strings are raw header values (unfolded).
public struct Envelope: Hashable, Sendable {
    public var date: String?
    public var subject: String?
    public var from: [EnvelopeAddress]
    /// Defaults to `from` when the header is absent (RFC 3501 §7.4.2).
    public var sender: [EnvelopeAddress]
    /// Defaults to `from` when the header is absent.
    public var replyTo: [EnvelopeAddress]
    public var to: [EnvelopeAddress]
    public var cc: [EnvelopeAddress]
    public var bcc: [EnvelopeAddress]
    public var inReplyTo: String?
    public var messageID: String?

    public init(date: String? = nil, subject: String? = nil, from: [EnvelopeAddress] = [],
                sender: [EnvelopeAddress] = [], replyTo: [EnvelopeAddress] = [], to: [EnvelopeAddress] = [],
                cc: [EnvelopeAddress] = [], bcc: [EnvelopeAddress] = [], inReplyTo: String? = nil,
                messageID: String? = nil) {
        self.date = date; self.subject = subject; self.from = from; self.sender = sender
        self.replyTo = replyTo; self.to = to; self.cc = cc; self.bcc = bcc
        self.inReplyTo = inReplyTo; self.messageID = messageID
    }

    /// Builds the envelope of a header block.
    public init(header: MessageHeader) {
        func value(_ name: String) -> String? { header.first(name).map { $0.trimmingWhitespace() } }
        // Every line of a repeated address field contributes (RFC 5322 §3.6 allows one, real
        // mail has several; dropping the others would hide recipients).
        func addresses(_ name: String) -> [EnvelopeAddress] {
            Array(header.all(name).flatMap(AddressParser.parse).prefix(MIMELimits.maxAddresses))
        }
        date = value("Date")
        subject = header.first("Subject")  // keep inner spacing; leading space removed by unfolding
        from = addresses("From")
        let senderList = addresses("Sender")
        sender = senderList.isEmpty ? from : senderList
        let replyList = addresses("Reply-To")
        replyTo = replyList.isEmpty ? from : replyList
        to = addresses("To")
        cc = addresses("Cc")
        bcc = addresses("Bcc")
        inReplyTo = value("In-Reply-To")
        messageID = value("Message-ID")
    }
}
