import Foundation
import FacteurMIME

/// What the SEARCH evaluator needs to know about one message. The session adapts its
/// storage records to this; `ParsedSearchableMessage` does it for a message in memory.
public protocol IMAPSearchableMessage {
    var sequenceNumber: UInt32 { get }
    var uid: UInt32 { get }
    /// Flags, including \Recent when the message is recent in this session.
    var flags: Set<Flag> { get }
    var internalDate: Date { get }
    /// RFC822.SIZE
    var size: Int { get }
    /// Values of a header field, encoded words decoded. Called only for header keys, so an
    /// implementation may parse lazily.
    func headerValues(_ name: String) -> [String]
    /// The whole header as decoded text (TEXT key).
    var headerText: String { get }
    /// The decoded body text (BODY and TEXT keys).
    var bodyText: String { get }
    /// RFC 7162 mod-sequence (MODSEQ key); 0 where none is kept.
    var modSeq: UInt64 { get }
}

extension IMAPSearchableMessage {
    public var modSeq: UInt64 { 0 }
}

/// The mailbox facts `*` and dates depend on.
public struct SearchContext: Sendable {
    /// Number of messages in the mailbox (`*` in a sequence set).
    public var messageCount: UInt32
    /// Highest UID in the mailbox (`*` in a UID set).
    public var maxUID: UInt32
    /// Zone in which an internal date's day is taken (BEFORE / ON / SINCE).
    public var timeZone: TimeZone

    public init(messageCount: UInt32, maxUID: UInt32, timeZone: TimeZone) {
        self.messageCount = messageCount; self.maxUID = maxUID; self.timeZone = timeZone
    }
}

/// A message held in memory with its metadata.
public struct ParsedSearchableMessage: IMAPSearchableMessage {
    public var sequenceNumber: UInt32
    public var uid: UInt32
    public var flags: Set<Flag>
    public var internalDate: Date
    public var message: MIMEMessage

    public init(sequenceNumber: UInt32, uid: UInt32, flags: Set<Flag>, internalDate: Date, message: MIMEMessage) {
        self.sequenceNumber = sequenceNumber; self.uid = uid; self.flags = flags
        self.internalDate = internalDate; self.message = message
    }

    public var size: Int { message.bytes.count }
    public func headerValues(_ name: String) -> [String] { message.header.all(name).map(EncodedWord.decode) }
    public var headerText: String { message.headerText() }
    public var bodyText: String { message.bodyText }
}
