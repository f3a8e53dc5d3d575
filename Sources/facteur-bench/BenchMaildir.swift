import Foundation

/// Messages written straight into a user's Maildir, as a delivery would (the server indexes them
/// at the next SELECT): how the large-folder benchmarks fill INBOX quickly.
enum BenchMaildir {
    /// Creates tmp/, new/ and cur/ under `maildir` if they are missing.
    static func prepare(_ maildir: String) throws {
        for sub in ["tmp", "new", "cur"] {
            try FileManager.default.createDirectory(atPath: maildir + "/" + sub, withIntermediateDirectories: true)
        }
    }

    /// Writes `text` as new/`name`,S=<size>.
    static func write(_ text: String, into maildir: String, name: String) throws {
        let data = Data(text.utf8)
        let file = "\(maildir)/new/\(name),S=\(data.count)"
        guard FileManager.default.createFile(atPath: file, contents: data) else { throw BenchError("cannot write \(file)") }
    }
}
