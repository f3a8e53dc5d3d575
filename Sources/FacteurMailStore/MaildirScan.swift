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
            let names = try MaildirIO.list(dir + "/new")
            s.entries.reserveCapacity(names.count)
            for n in names {
                let f = MaildirFilename(n)
                s.entries[f.base] = Entry(suffix: f.suffix, inNew: true)
            }
        }
        if cur {
            let names = try MaildirIO.list(dir + "/cur")
            s.entries.reserveCapacity(s.entries.count + names.count)
            for n in names {
                let f = MaildirFilename(n)
                s.entries[f.base] = Entry(suffix: f.suffix, inNew: false)
            }
        }
        return s
    }
}
