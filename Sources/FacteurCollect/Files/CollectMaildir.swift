import FacteurCore
import FacteurStore
import Foundation
import FacteurMIME

/// Local side of collection: delivery under a name chosen in advance, and the check that tells
/// the ledger whether an interrupted delivery reached the Maildir.
struct CollectMaildir: Sendable {
    let delivery: MaildirDelivery
    let hostname: String

    /// Whether a message delivered as `uniqueName` (`<uniqueName>,S=<size>[:2,flags]`) is in
    /// new/ or cur/ of any owner's INBOX or Maildir++ folder (a reader may already have moved it).
    func isDelivered(_ uniqueName: String, owners: [String]) -> Bool {
        let fm = FileManager.default
        for owner in owners {
            let base = delivery.maildir(owner: owner)
            var folders = [base]
            for sub in (try? fm.contentsOfDirectory(atPath: base)) ?? [] where sub.hasPrefix(".") && sub != "." && sub != ".." {
                folders.append(base + "/" + sub)
            }
            for folder in folders {
                for dir in ["new", "cur"] {
                    for file in (try? fm.contentsOfDirectory(atPath: folder + "/" + dir)) ?? [] where Self.matches(file, uniqueName) {
                        return true
                    }
                }
            }
        }
        return false
    }

    /// `name` itself, or `name` followed by the `,S=` size or the `:2,` info.
    static func matches(_ file: String, _ name: String) -> Bool {
        guard file.hasPrefix(name) else { return false }
        let rest = file.dropFirst(name.count)
        return rest.isEmpty || rest.first == "," || rest.first == ":"
    }

    /// Writes the message under exactly `uniqueName`, durably (tmp → fsync → new/ → fsync), with a
    /// trace field on top saying where it was collected from. Returns the stored size.
    func deliver(_ content: [UInt8], uniqueName: String, owners: [String], trace: String) throws(CollectError) -> Int {
        do {
            let file = try delivery.open(owners: owners, uniqueName: uniqueName)
            do {
                // Keep the message's own line ending style (providers give CRLF; some IMAP servers LF).
                let crlf = content.isEmpty || content.firstIndex(of: 10).map { $0 > 0 && content[$0 - 1] == 13 } ?? true
                try file.write(Array(trace.utf8) + (crlf ? [13, 10] : [10]))
                try file.write(content)
                try file.commit()
            } catch {
                file.abort()
                throw error
            }
            return file.size
        } catch {
            throw .delivery("\(error)")
        }
    }

    /// `Received: from <host> by <hostname> with POP3|IMAP (Facteur collect "<entry>"); <date>`,
    /// the trace field fetchmail and MercuryD also add (RFC 5322 §3.6.7).
    func trace(entry: Config.Collect, now: Date) -> String {
        let name = entry.name.filter { $0.isASCII && !$0.isNewline && $0 != "\"" && $0 != "\\" && $0 != "(" && $0 != ")" }
        let host = entry.host.filter { $0.isASCII && !$0.isWhitespace && $0 != "(" && $0 != ")" }
        return "Received: from \(host) by \(hostname) with \(entry.proto.uppercased()) (Facteur collect \"\(name)\"); \(RFC5322Date.format(now))"
    }
}
