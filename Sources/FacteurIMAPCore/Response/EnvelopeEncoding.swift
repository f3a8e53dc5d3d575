import FacteurMIME

extension IMAPWriter {
    /// `envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP
    /// env-to SP env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"`
    public mutating func envelope(_ envelope: Envelope) {
        raw("(")
        nstring(envelope.date); space()
        nstring(envelope.subject); space()
        for list in [envelope.from, envelope.sender, envelope.replyTo, envelope.to, envelope.cc, envelope.bcc] {
            addressList(list); space()
        }
        nstring(envelope.inReplyTo); space()
        nstring(envelope.messageID)
        raw(")")
    }

    mutating func addressList(_ addresses: [EnvelopeAddress]) {
        guard !addresses.isEmpty else { raw("NIL"); return }
        raw("(")
        for address in addresses {
            raw("(")
            nstring(address.name); space()
            nstring(address.adl); space()
            nstring(address.mailbox); space()
            nstring(address.host)
            raw(")")
        }
        raw(")")
    }
}
