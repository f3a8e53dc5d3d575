import FacteurCore
import Foundation
import FacteurMIME

/// Read-only view of the Maildirs for the console: folders, counts, sizes, message headers.
/// It only lists and reads files; it never renames one, so browsing changes no flag.
public struct MaildirBrowser: Sendable {
    public let mailRoot: String

    public init(mailRoot: String) { self.mailRoot = mailRoot }

    /// A folder and a message as the console's control protocol carries them (one definition,
    /// FacteurCore's `FolderSummary` and `MessageSummary`).
    public typealias Folder = FolderSummary
    public typealias Message = MessageSummary

    func base(_ owner: String) -> String {
        let p = owner.split(separator: "@", maxSplits: 1)
        return "\(mailRoot)/\(p.count > 1 ? String(p[1]) : "_")/\(p.first.map(String.init) ?? owner)"
    }

    /// Folder directory for an IMAP-style name; nil if the name could escape the Maildir.
    func folderPath(_ owner: String, _ folder: String) -> String? {
        if folder.uppercased() == "INBOX" { return base(owner) }
        let parts = folder.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && !$0.contains(".") && $0 != ".." && !$0.contains("\0") }) else { return nil }
        return base(owner) + "/." + parts.joined(separator: ".")
    }

    public func folders(of owner: String) -> [Folder] {
        var out: [Folder] = []
        let b = base(owner)
        out.append(summary("INBOX", b))
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: b)) ?? []
        for e in entries.sorted() where e.hasPrefix(".") && e.count > 1 && e != ".." {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: b + "/" + e + "/cur", isDirectory: &isDir), isDir.boolValue else { continue }
            out.append(summary(e.dropFirst().split(separator: ".").joined(separator: "/"), b + "/" + e))
        }
        return out
    }

    private func summary(_ name: String, _ dir: String) -> Folder {
        var f = Folder(name: name, messages: 0, unread: 0, size: 0)
        for (file, sub) in files(dir) {
            f.messages += 1
            if !Self.flags(of: file).contains("\\Seen") { f.unread += 1 }
            f.size += Self.size(of: file, path: dir + "/" + sub + "/" + file)
        }
        return f
    }

    func files(_ dir: String) -> [(String, String)] {
        var out: [(String, String)] = []
        for sub in ["new", "cur"] {
            for f in (try? FileManager.default.contentsOfDirectory(atPath: dir + "/" + sub)) ?? [] where !f.hasPrefix(".") {
                out.append((f, sub))
            }
        }
        return out
    }

    /// IMAP flags from the Maildir info (`:2,FRS`).
    public static func flags(of file: String) -> [String] {
        guard let r = file.range(of: ":2,") else { return [] }
        var out: [String] = []
        for c in file[r.upperBound...] {
            switch c {
            case "D": out.append("\\Draft")
            case "F": out.append("\\Flagged")
            case "R": out.append("\\Answered")
            case "S": out.append("\\Seen")
            case "T": out.append("\\Deleted")
            default: break
            }
        }
        return out
    }

    static func size(of file: String, path: String) -> Int64 {
        if let r = file.range(of: ",S=") {
            let digits = file[r.upperBound...].prefix(while: \.isNumber)
            if let n = Int64(digits) { return n }
        }
        return ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int64) ?? 0
    }

    public func messages(of owner: String, folder: String) -> [Message] {
        guard let dir = folderPath(owner, folder) else { return [] }
        var out: [Message] = []
        for (file, sub) in files(dir) {
            let path = dir + "/" + sub + "/" + file
            let head = Self.head(path)
            let date = HeaderPeek.field("date", in: head).flatMap(RFC5322Date.parse)
                ?? ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date)
            out.append(Message(id: file, date: date, from: HeaderPeek.field("from", in: head) ?? "",
                               subject: HeaderPeek.field("subject", in: head) ?? "", size: Self.size(of: file, path: path),
                               flags: Self.flags(of: file)))
        }
        return out.sorted { ($0.date ?? .distantPast) > ($1.date ?? .distantPast) }
    }

    /// The stored bytes of one message, read-only. `id` must be a plain file name.
    public func raw(of owner: String, folder: String, id: String) throws -> [UInt8] {
        guard let dir = folderPath(owner, folder), !id.contains("/"), !id.hasPrefix(".") else {
            throw StoreError.notFound("no such message")
        }
        for sub in ["new", "cur"] {
            if let d = FileManager.default.contents(atPath: dir + "/" + sub + "/" + id) { return Array(d) }
        }
        throw StoreError.notFound("message \(id) is gone (moved or deleted by a client)")
    }

    static func head(_ path: String, limit: Int = 8192) -> [UInt8] {
        guard let h = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? h.close() }
        return Array((try? h.read(upToCount: limit)) ?? Data())
    }
}
