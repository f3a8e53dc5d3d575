import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A folder's keyword table in Dovecot's Maildir format, so that Dovecot, mutt, mbsync … see the
/// keywords set here and the index can be rebuilt from the Maildir with them.
///
/// The file `dovecot-keywords` in the folder (beside cur/ new/ tmp/) holds lines
/// `<index> <name>`; keyword `index` 0…25 is the letter `a` + index in the `:2,` info of a file
/// name, after the upper-case system flag letters (`1234.M5P6.host,S=99:2,RSac`). A folder has
/// at most 26 such keywords: any further keyword lives only in the index. Indices are never
/// reused or reordered (Dovecot only appends), so a letter keeps its meaning.
///
/// Writes take Dovecot's own lock (`dovecot-keywords.lock`, created exclusively), re-read the
/// file under it, and replace it atomically (the lock file is written, fsync'd, renamed over
/// the table, and the folder fsync'd). A lock held by another program means the new keyword
/// stays index-only for now; nothing fails.
struct MaildirKeywords: Equatable, Sendable {
    static let fileName = "dovecot-keywords"

    /// Names by index (`nil` for an index the file skips).
    private(set) var names: [String?] = []

    init(names: [String?] = []) { self.names = names }

    /// Parses the file's text; malformed lines, indices past the letters and names that are not
    /// IMAP atoms are skipped.
    init(parsing text: String) {
        for line in text.split(separator: "\n") {
            guard let space = line.firstIndex(of: " "), let index = Int(line[..<space]),
                  index >= 0, index < MailStoreLimits.maildirKeywordLetters else { continue }
            let name = String(line[line.index(after: space)...])
            guard (try? Keywords.validate(name)) != nil, self.index(of: name) == nil else { continue }
            while names.count <= index { names.append(nil) }
            if names[index] == nil { names[index] = name }
        }
    }

    /// The table of the folder at `dir`; empty when there is none (or it cannot be read).
    static func load(_ dir: String) -> MaildirKeywords {
        guard let data = FileManager.default.contents(atPath: dir + "/" + fileName) else { return MaildirKeywords() }
        return MaildirKeywords(parsing: String(decoding: data, as: UTF8.self))
    }

    /// The file's text: `<index> <name>` lines in index order.
    var text: String {
        names.enumerated().compactMap { index, name in name.map { "\(index) \($0)\n" } }.joined()
    }

    /// Keywords compare case-insensitively (as the index does).
    func index(of keyword: String) -> Int? {
        let lower = keyword.lowercased()
        return names.firstIndex { $0?.lowercased() == lower }
    }

    /// The table's spelling of `keyword`, or `keyword` when the table does not have it.
    func spelling(of keyword: String) -> String {
        index(of: keyword).flatMap { names[$0] } ?? keyword
    }

    /// The info letters of `keywords` that have one, sorted.
    func letters(_ keywords: [String]) -> [UInt8] {
        keywords.compactMap { index(of: $0).map { UInt8(ascii: "a") + UInt8($0) } }.sorted()
    }

    /// True when a file name's info has lower-case (keyword) letters.
    static func hasLetters(_ suffix: String) -> Bool {
        suffix.hasPrefix(":2,") && suffix.utf8.dropFirst(3).contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
    }

    /// The keywords named by the lower-case letters of a file name's `:2,` info (letters the
    /// table does not name are ignored, as Dovecot does).
    func keywords(inSuffix suffix: String) -> [String] {
        guard suffix.hasPrefix(":2,") else { return [] }
        var out: [String] = []
        for b in suffix.utf8.dropFirst(3) where b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") {
            let index = Int(b - UInt8(ascii: "a"))
            if index < names.count, let name = names[index] { out.append(name) }
        }
        return out
    }

    /// True when every one of `keywords` has a letter or no letter is left for them.
    func covers(_ keywords: [String]) -> Bool {
        keywords.allSatisfy { index(of: $0) != nil } || !names.contains(nil) && names.count >= MailStoreLimits.maildirKeywordLetters
    }

    /// Gives free letters to those of `keywords` that have none, while letters remain.
    mutating func add(_ keywords: [String]) {
        for keyword in keywords where index(of: keyword) == nil {
            if let free = names.firstIndex(where: { $0 == nil }) {
                names[free] = keyword
            } else if names.count < MailStoreLimits.maildirKeywordLetters {
                names.append(keyword)
            } else {
                return
            }
        }
    }

    /// The table of the folder at `dir` with letters for `keywords` (as far as 26 letters go),
    /// written back when it gained some. When the file cannot be written (locked by another
    /// program, I/O error) the table as it is on disk is returned: the new keywords are then
    /// index-only.
    static func ensuring(_ keywords: [String], in dir: String) -> MaildirKeywords {
        let current = load(dir)
        if keywords.isEmpty || current.covers(keywords) { return current }
        let path = dir + "/" + fileName
        let lock = path + ".lock"
        var fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0, errno == EEXIST, let stat = MaildirIO.fileStat(lock),
           Double(MaildirIO.realNowNanos - stat.mtimeNanos) / 1e9 > MailStoreLimits.maildirKeywordsLockStale {
            // Left by a program that died while holding it (Dovecot's dotlocks go stale too).
            unlink(lock)
            fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        }
        guard fd >= 0 else { return current }
        var table = load(dir)  // under the lock: another writer may have added since
        table.add(keywords)
        let bytes = Array(table.text.utf8)
        let written: Bool = bytes.withUnsafeBytes { raw in
            (try? MaildirIO.writeAll(fd, raw, path: lock)) != nil
        }
        if written, fsync(fd) == 0, close(fd) == 0, Glibc.rename(lock, path) == 0 {
            try? MaildirIO.fsyncDirectory(dir)
            return table
        }
        unlink(lock)
        return load(dir)
    }
}

extension MaildirFilename {
    /// The info for `flags` plus the keyword `letters` (`MaildirKeywords.letters`), keeping the
    /// other letters of `old` that are neither system flags nor keyword letters (`P` …), in
    /// ASCII order as the Maildir spec requires. Keyword letters of `old` are dropped: the
    /// caller gives the complete set.
    static func suffix(flags: MessageFlags, keywordLetters letters: [UInt8], keeping old: String) -> String {
        var kept = ""
        if old.hasPrefix(":2,") {
            kept = String(decoding: old.utf8.dropFirst(3).filter { $0 < UInt8(ascii: "a") || $0 > UInt8(ascii: "z") }, as: UTF8.self)
        }
        let base = suffix(flags: flags, keeping: ":2," + kept)
        var all = Array(base.utf8.dropFirst(3)) + letters.filter { !base.utf8.dropFirst(3).contains($0) }
        all.sort()
        return ":2," + String(decoding: all, as: UTF8.self)
    }

    /// True when the info of `a` and `b` say the same (no info and an empty `:2,` info are alike).
    static func sameInfo(_ a: String, _ b: String) -> Bool {
        a == b || (a.isEmpty && b == ":2,") || (b.isEmpty && a == ":2,")
    }
}

extension Keywords {
    /// A message's keywords after its file name's info changed from `previousSuffix` to
    /// `suffix` (another program renamed it): the keywords its letters name, plus those of
    /// `previous` the old name did not carry as a letter either (index-only: beyond the table's
    /// 26, or set before keywords were written into names), in `previous`' order first. Only a
    /// letter that was there and is gone removes a keyword.
    static func fromMaildir(suffix: String, previousSuffix: String, previous: [String], table: MaildirKeywords) -> [String] {
        let lettered = table.keywords(inSuffix: suffix)
        let present = Set(lettered.map { $0.lowercased() })
        let before = Set(table.keywords(inSuffix: previousSuffix).map { $0.lowercased() })
        return merge(previous.filter { present.contains($0.lowercased()) || !before.contains($0.lowercased()) }, lettered)
    }
}
