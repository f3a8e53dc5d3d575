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

/// How STORE combines the given flags with the present ones (RFC 3501 §6.4.6).
public enum FlagOperation: Sendable, Hashable {
    case add, remove, replace
}

/// What never changes for a UID: when the message arrived and its size in octets.
public struct MessageDetails: Hashable, Sendable {
    public var uid: UInt32
    public var internalDate: Date
    public var size: Int64
    public init(uid: UInt32, internalDate: Date, size: Int64) {
        self.uid = uid; self.internalDate = internalDate; self.size = size
    }
}
