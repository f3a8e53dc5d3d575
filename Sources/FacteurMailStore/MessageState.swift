import Foundation

/// What a session needs to know about one message: its UID, system flags and keywords.
public struct MessageState: Hashable, Sendable {
    public var uid: UInt32
    public var flags: MessageFlags
    /// Keywords (RFC 3501 §2.3.2 flag-keyword), in the order they were set.
    public var keywords: [String]
    public init(uid: UInt32, flags: MessageFlags, keywords: [String] = []) {
        self.uid = uid; self.flags = flags; self.keywords = keywords
    }
}

/// Size and INTERNALDATE of one message, and where its file is now.
public struct MessageInfo: Hashable, Sendable {
    public var uid: UInt32
    /// RFC822.SIZE: the file size (messages are stored with CRLF).
    public var size: Int64
    public var internalDate: Date
    public var flags: MessageFlags
    public var keywords: [String]
    /// The Maildir unique name (POP3 unique-id source, console id).
    public var base: String
    /// Absolute path of the file when the index was read; see `MailStore.messagePath`.
    public var path: String
}

/// How STORE combines the given flags with the present ones (RFC 3501 §6.4.6).
public enum FlagOperation: Sendable, Hashable {
    case add, remove, replace
}

/// Keywords are atoms (RFC 3501 §9 flag-keyword = atom); they are stored space-separated.
enum Keywords {
    static func validate(_ k: String) throws(MailStoreError) {
        guard !k.isEmpty, k.utf8.count <= MailStoreLimits.maxKeywordBytes, !k.hasPrefix("\\") else { throw .invalidKeyword(k) }
        for b in k.utf8 {
            // atom-specials: ( ) { SP CTL % * " \ ]  — and non-ASCII is not an atom either.
            if b <= 0x20 || b >= 0x7F || "(){%*\"\\]".utf8.contains(b) { throw .invalidKeyword(k) }
        }
    }

    /// Union keeping the first spelling; keywords compare case-insensitively.
    static func merge(_ a: [String], _ b: [String]) -> [String] {
        var out = a
        var seen = Set(a.map { $0.lowercased() })
        for k in b where seen.insert(k.lowercased()).inserted { out.append(k) }
        return out
    }

    static func remove(_ a: [String], _ b: [String]) -> [String] {
        let drop = Set(b.map { $0.lowercased() })
        return a.filter { !drop.contains($0.lowercased()) }
    }

    static func encode(_ k: [String]) -> String? { k.isEmpty ? nil : k.joined(separator: " ") }
    static func decode(_ s: String?) -> [String] {
        guard let s, !s.isEmpty else { return [] }
        return s.split(separator: " ").map(String.init)
    }
}
