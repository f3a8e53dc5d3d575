import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What went wrong in a mailbox operation; the IMAP/POP3 layers turn it into NO / -ERR.
public enum MailStoreError: Error, Equatable, CustomStringConvertible {
    case invalidName(String, reason: String)
    case invalidOwner(String)
    case noSuchMailbox(String)
    case alreadyExists(String)
    /// RFC 3501 §6.3.4: INBOX cannot be deleted.
    case cannotDeleteInbox
    /// RFC 3501 §6.3.4: a \Noselect name with inferiors cannot be deleted.
    case noselectWithChildren(String)
    case invalidKeyword(String)
    case io(String, errno: Int32)

    public var description: String {
        switch self {
        case .invalidName(let n, let r): return "invalid mailbox name \"\(n)\": \(r)"
        case .invalidOwner(let o): return "invalid owner \"\(o)\""
        case .noSuchMailbox(let n): return "no mailbox \"\(n)\""
        case .alreadyExists(let n): return "mailbox \"\(n)\" already exists"
        case .cannotDeleteInbox: return "INBOX cannot be deleted"
        case .noselectWithChildren(let n): return "\"\(n)\" has inferior mailboxes and is not selectable"
        case .invalidKeyword(let k): return "invalid keyword \"\(k)\""
        case .io(let what, let e): return "\(what): \(String(cString: strerror(e)))"
        }
    }
}
