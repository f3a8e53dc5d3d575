/// `resp-text-code` (RFC 3501 §7.1, RFC 4315 UIDPLUS, RFC 5530 codes).
public enum ResponseCode: Hashable, Sendable {
    case alert
    case badCharset([String])
    case capability([String])
    case parse
    case permanentFlags([Flag])
    case readOnly
    case readWrite
    case tryCreate
    case uidNext(UInt32)
    case uidValidity(UInt32)
    case unseen(UInt32)
    /// RFC 4315 §3
    case appendUID(uidValidity: UInt32, uids: SequenceSet)
    case copyUID(uidValidity: UInt32, source: SequenceSet, destination: SequenceSet)
    case uidNotSticky
    /// RFC 3691 / RFC 7162: "CLOSED" when a mailbox is deselected by SELECT.
    case closed
    // RFC 5530
    case unavailable, authenticationFailed, authorizationFailed, expired, privacyRequired
    case contactAdmin, noPerm, inUse, expungeIssued, corruption, serverBug, clientBug
    case cannot, limit, overQuota, alreadyExists, nonexistent
    /// RFC 7888 §4: literal too large.
    case tooBig
    /// RFC 7162 §3.1.2.1, §3.1.2.2, §3.1.3
    case highestModSeq(UInt64), noModSeq, modified(SequenceSet)
    /// Anything else: `atom [SP text]`.
    case other(String, String?)
}

extension IMAPWriter {
    mutating func responseCode(_ code: ResponseCode) {
        raw("[")
        switch code {
        case .alert: raw("ALERT")
        case .badCharset(let names):
            raw("BADCHARSET")
            if !names.isEmpty { space(); list(names) { $0.astring($1) } }
        case .capability(let names): raw("CAPABILITY " + names.joined(separator: " "))
        case .parse: raw("PARSE")
        case .permanentFlags(let flags): raw("PERMANENTFLAGS "); flagList(flags)
        case .readOnly: raw("READ-ONLY")
        case .readWrite: raw("READ-WRITE")
        case .tryCreate: raw("TRYCREATE")
        case .uidNext(let value): raw("UIDNEXT \(value)")
        case .uidValidity(let value): raw("UIDVALIDITY \(value)")
        case .unseen(let value): raw("UNSEEN \(value)")
        case .appendUID(let validity, let uids): raw("APPENDUID \(validity) \(uids)")
        case .copyUID(let validity, let source, let destination): raw("COPYUID \(validity) \(source) \(destination)")
        case .uidNotSticky: raw("UIDNOTSTICKY")
        case .closed: raw("CLOSED")
        case .unavailable: raw("UNAVAILABLE")
        case .authenticationFailed: raw("AUTHENTICATIONFAILED")
        case .authorizationFailed: raw("AUTHORIZATIONFAILED")
        case .expired: raw("EXPIRED")
        case .privacyRequired: raw("PRIVACYREQUIRED")
        case .contactAdmin: raw("CONTACTADMIN")
        case .noPerm: raw("NOPERM")
        case .inUse: raw("INUSE")
        case .expungeIssued: raw("EXPUNGEISSUED")
        case .corruption: raw("CORRUPTION")
        case .serverBug: raw("SERVERBUG")
        case .clientBug: raw("CLIENTBUG")
        case .cannot: raw("CANNOT")
        case .limit: raw("LIMIT")
        case .overQuota: raw("OVERQUOTA")
        case .alreadyExists: raw("ALREADYEXISTS")
        case .nonexistent: raw("NONEXISTENT")
        case .tooBig: raw("TOOBIG")
        case .highestModSeq(let value): raw("HIGHESTMODSEQ \(value)")
        case .noModSeq: raw("NOMODSEQ")
        case .modified(let set): raw("MODIFIED \(set)")
        case .other(let atom, let text):
            raw(atom)
            if let text { space(); raw(IMAPWriter.sanitizedText(text).replacing("]", with: " ")) }
        }
        raw("]")
    }

    /// `text = 1*TEXT-CHAR`: CR and LF would end the response line early, so they become spaces.
    static func sanitizedText(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\r" || $0 == "\n" || $0 == "\0" ? " " : $0 }))
    }
}
