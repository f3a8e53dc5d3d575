import Foundation
import FacteurMIME

/// Decides whether a message matches a SEARCH key (RFC 3501 §6.4.4).
///
/// Strings match as case-insensitive substrings. BEFORE / ON / SINCE compare the day of the
/// internal date in `context.timeZone`; SENT* compare the day of the Date: header in its own
/// zone, falling back to the internal date when the header is missing or unreadable.
public enum SearchEvaluator {
    public static func matches(_ key: SearchKey, _ message: some IMAPSearchableMessage, context: SearchContext) -> Bool {
        switch key {
        case .all: return true
        case .answered: return message.flags.contains(.answered)
        case .deleted: return message.flags.contains(.deleted)
        case .draft: return message.flags.contains(.draft)
        case .flagged: return message.flags.contains(.flagged)
        case .recent: return message.flags.contains(.recent)
        case .seen: return message.flags.contains(.seen)
        case .new: return message.flags.contains(.recent) && !message.flags.contains(.seen)
        case .old: return !message.flags.contains(.recent)
        case .unanswered: return !message.flags.contains(.answered)
        case .undeleted: return !message.flags.contains(.deleted)
        case .undraft: return !message.flags.contains(.draft)
        case .unflagged: return !message.flags.contains(.flagged)
        case .unseen: return !message.flags.contains(.seen)
        case .keyword(let flag): return containsKeyword(message.flags, flag)
        case .unkeyword(let flag): return !containsKeyword(message.flags, flag)
        case .bcc(let text): return addresses(message, "Bcc", contain: text)
        case .cc(let text): return addresses(message, "Cc", contain: text)
        case .from(let text): return addresses(message, "From", contain: text)
        case .to(let text): return addresses(message, "To", contain: text)
        case .subject(let text): return header(message, "Subject", contains: text)
        case .header(let name, let text): return header(message, name, contains: text)
        case .body(let text): return contains(message.bodyText, text)
        case .text(let text): return contains(message.headerText, text) || contains(message.bodyText, text)
        case .before(let date): return internalDay(message, context) < date
        case .on(let date): return internalDay(message, context) == date
        case .since(let date): return internalDay(message, context) >= date
        case .sentBefore(let date): return sentDay(message, context) < date
        case .sentOn(let date): return sentDay(message, context) == date
        case .sentSince(let date): return sentDay(message, context) >= date
        case .larger(let size): return message.size > Int(size)
        case .smaller(let size): return message.size < Int(size)
        case .uid(let set): return set.contains(message.uid, max: context.maxUID)
        case .sequenceNumbers(let set): return set.contains(message.sequenceNumber, max: context.messageCount)
        case .not(let inner): return !matches(inner, message, context: context)
        case .or(let first, let second): return matches(first, message, context: context) || matches(second, message, context: context)
        case .and(let keys): return keys.allSatisfy { matches($0, message, context: context) }
        case .modSeq(let value): return message.modSeq >= value
        }
    }

    /// The sequence numbers (or UIDs with `uid`) of the matching messages, ascending — the
    /// payload of the untagged SEARCH response.
    public static func search<M: IMAPSearchableMessage>(_ key: SearchKey, in messages: [M], context: SearchContext,
                                                        uid: Bool) -> [UInt32] {
        messages.filter { matches(key, $0, context: context) }.map { uid ? $0.uid : $0.sequenceNumber }.sorted()
    }

    /// Keywords compare case-insensitively (clients differ in spelling `$Junk` / `$junk`).
    private static func containsKeyword(_ flags: Set<Flag>, _ flag: Flag) -> Bool {
        let wanted = flag.raw.lowercased()
        return flags.contains { $0.raw.lowercased() == wanted }
    }

    /// A zero-length string matches every message that has the field (RFC 3501 §6.4.4 HEADER).
    private static func header(_ message: some IMAPSearchableMessage, _ name: String, contains text: String) -> Bool {
        let values = message.headerValues(name)
        if text.isEmpty { return !values.isEmpty }
        return values.contains { contains($0, text) }
    }

    /// Address fields match on the raw text or on the parsed addresses (`name <local@host>`,
    /// comments and folding gone), so `user@domain.org` finds `<user (x)@ (y) domain.org>`.
    private static func addresses(_ message: some IMAPSearchableMessage, _ name: String, contain text: String) -> Bool {
        let values = message.headerValues(name)
        if text.isEmpty { return !values.isEmpty }
        return values.contains { contains($0, text) || contains(AddressParser.searchText($0), text) }
    }

    static func contains(_ haystack: String, _ needle: String) -> Bool {
        needle.isEmpty || haystack.range(of: needle, options: [.caseInsensitive]) != nil
    }

    private static func internalDay(_ message: some IMAPSearchableMessage, _ context: SearchContext) -> IMAPDate {
        IMAPDate(message.internalDate, timeZone: context.timeZone)
    }

    private static func sentDay(_ message: some IMAPSearchableMessage, _ context: SearchContext) -> IMAPDate {
        if let value = message.headerValues("Date").first, let day = RFC5322Date.day(value) { return day }
        return internalDay(message, context)
    }
}
