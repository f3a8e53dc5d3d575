import Foundation

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
