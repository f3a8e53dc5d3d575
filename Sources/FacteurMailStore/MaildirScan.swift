/// One readdir pass over new/ and/or cur/ of a mailbox: base → where the file is.
struct MaildirScan {
    struct Entry: Equatable {
        var suffix: String
        var inNew: Bool
    }

    var entries: [String: Entry] = [:]

    /// Reads new/ before cur/: a file moved new/ → cur/ during the scan is then seen at least
    /// once. When a base is in both, cur/ wins.
    static func read(_ dir: String, new: Bool, cur: Bool) throws(MailStoreError) -> MaildirScan {
        var s = MaildirScan()
        if new {
            try MaildirIO.listMaildir(dir + "/new") { base, suffix in s.entries[base] = Entry(suffix: suffix, inNew: true) }
        }
        if cur {
            try MaildirIO.listMaildir(dir + "/cur") { base, suffix in s.entries[base] = Entry(suffix: suffix, inNew: false) }
        }
        return s
    }
}
