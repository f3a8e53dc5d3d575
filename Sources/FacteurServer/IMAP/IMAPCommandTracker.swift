/// Follows commands from the client's line to their tagged completion, for the event stream
/// (`command` events with 0 OK / 1 NO / 2 BAD) and the BAD limit. It reads only the first
/// line of a command (tag and verb, never arguments: no password reaches a log) and the last
/// line of each write (where the session puts the tagged completion, RFC 3501 §7.1).
struct IMAPCommandTracker: Sendable {
    enum Status: Int, Sendable, Equatable { case ok = 0, no = 1, bad = 2 }

    struct Completion: Sendable, Equatable {
        var verb: String
        var status: Status
    }

    private var pending: [(tag: String, verb: String)] = []
    /// BAD responses so far (tagged or untagged).
    private(set) var badCount = 0
    /// The verb of the last command seen (for `connectionUpdated`).
    private(set) var lastVerb: String?

    /// `a1 UID FETCH 1:* FLAGS` → ("a1", "UID FETCH"); nil when the line does not start with a
    /// tag and an alphabetic verb (a SASL response, `DONE`, garbage).
    static func tagAndVerb(_ line: [UInt8]) -> (tag: String, verb: String)? {
        let firstLine = line.prefix { $0 != 13 && $0 != 10 }.prefix(256)
        let words = firstLine.split(separator: 32, maxSplits: 3, omittingEmptySubsequences: false)
        guard words.count >= 2, let tag = word(words[0], letters: false), let verb = word(words[1], letters: true) else { return nil }
        if verb == "UID", words.count >= 3, let sub = word(words[2], letters: true) { return (tag, "UID " + sub) }
        return (tag, verb)
    }

    private static func word(_ bytes: ArraySlice<UInt8>, letters: Bool) -> String? {
        guard !bytes.isEmpty, bytes.count <= 64 else { return nil }
        for b in bytes {
            let ok = letters ? ((b >= 65 && b <= 90) || (b >= 97 && b <= 122))
                             : (b > 32 && b < 127 && !"(){%*\"\\+".utf8.contains(b))
            if !ok { return nil }
        }
        let s = String(decoding: bytes, as: UTF8.self)
        return letters ? s.uppercased() : s
    }

    /// A command line arrived.
    mutating func commandReceived(_ line: [UInt8]) {
        guard let (tag, verb) = Self.tagAndVerb(line) else { return }
        lastVerb = verb
        pending.removeAll { $0.tag == tag }
        pending.append((tag, verb))
        if pending.count > IMAPServerLimits.maxPendingCommands { pending.removeFirst() }
    }

    /// The server is writing `bytes`; returns the command it completes, if any.
    mutating func responseSent(_ bytes: [UInt8]) -> Completion? {
        guard let line = Self.lastLine(bytes) else { return nil }
        let words = line.split(separator: 32, maxSplits: 2, omittingEmptySubsequences: true)
        guard words.count >= 2 else { return nil }
        let status: Status
        switch String(decoding: words[1], as: UTF8.self).uppercased() {
        case "OK": status = .ok
        case "NO": status = .no
        case "BAD": status = .bad
        default: return nil
        }
        if status == .bad { badCount += 1 }
        let tag = String(decoding: words[0], as: UTF8.self)
        guard tag != "*", let index = pending.firstIndex(where: { $0.tag == tag }) else { return nil }
        let verb = pending.remove(at: index).verb
        return Completion(verb: verb, status: status)
    }

    /// The last CRLF-terminated line of a write (without its CRLF), at most 512 octets back.
    static func lastLine(_ bytes: [UInt8]) -> ArraySlice<UInt8>? {
        guard bytes.count >= 2, bytes[bytes.count - 1] == 10 else { return nil }
        var end = bytes.count - 1
        if end > 0 && bytes[end - 1] == 13 { end -= 1 }
        var start = end
        let floor = max(0, end - 512)
        while start > floor && bytes[start - 1] != 10 { start -= 1 }
        return bytes[start..<end]
    }
}
