/// A Maildir file name: `<unique base>[:<info>]` (http://cr.yp.to/proto/maildir.html).
///
/// The base never changes while the message lives in a folder; it is the key of the index and
/// the POP3 unique-id. The info `2,<letters>` carries the flags. Sizes and times are taken
/// from the base when it follows the usual shapes, so that a scan needs no `stat`:
/// `<seconds>.M<micros>P<pid>…,S=<size>` (the `,S=` extension of Maildir++ / Dovecot).
struct MaildirFilename: Equatable, Sendable {
    var base: String
    /// Everything from the `:` on (`":2,FS"`), or "" when the file has no info (in new/).
    var suffix: String

    init(base: String, suffix: String) { self.base = base; self.suffix = suffix }

    init(_ name: String) {
        if let i = name.utf8.firstIndex(of: UInt8(ascii: ":")) {
            base = String(name[..<i])
            suffix = String(name[i...])
        } else {
            base = name
            suffix = ""
        }
    }

    var name: String { base + suffix }

    /// The system flags in the info (`:2,` letters); empty when there is no `2,` info.
    var flags: MessageFlags { Self.flags(suffix: suffix) }

    static func flags(suffix: String) -> MessageFlags {
        var f: MessageFlags = []
        guard suffix.hasPrefix(":2,") else { return f }
        for b in suffix.utf8.dropFirst(3) {
            if let x = MessageFlags.flag(forLetter: b) { f.insert(x) }
        }
        return f
    }

    /// The suffix for `flags`, keeping letters we do not map (`P`, keyword letters …), in ASCII
    /// order as the Maildir spec requires.
    static func suffix(flags: MessageFlags, keeping old: String) -> String {
        var letters = flags.maildirLetters
        if old.hasPrefix(":2,") {
            for b in old.utf8.dropFirst(3) where MessageFlags.flag(forLetter: b) == nil && b > 0x20 && b < 0x7F && b != UInt8(ascii: ",") {
                if !letters.contains(b) { letters.append(b) }
            }
        }
        letters.sort()
        return ":2," + String(decoding: letters, as: UTF8.self)
    }

    /// The size as IMAP and POP3 count it (CRLF line ends): Dovecot's `,W=<n>` when present,
    /// else `,S=<n>` (Maildir++; Facteur stores CRLF, so its S= is already that size).
    static func size(base: String) -> Int? {
        field("W", base) ?? field("S", base)
    }

    private static func field(_ letter: Character, _ base: String) -> Int? {
        let u = Array(base.utf8)
        let l = UInt8(ascii: letter.unicodeScalars.first!)
        var i = 0
        while i + 3 <= u.count {
            if u[i] == UInt8(ascii: ","), u[i + 1] == l, u[i + 2] == UInt8(ascii: "=") {
                return digits(u, from: i + 3).map(\.value)
            }
            i += 1
        }
        return nil
    }

    /// Delivery time from `<seconds>.M<micros>…` (or `<seconds>.<anything>`), as seconds and
    /// microseconds since the epoch.
    static func time(base: String) -> (seconds: Int, micros: Int)? {
        let u = Array(base.utf8)
        guard let sec = digits(u, from: 0), sec.end < u.count, u[sec.end] == UInt8(ascii: "."), sec.value > 0 else { return nil }
        var micros = 0
        if sec.end + 1 < u.count, u[sec.end + 1] == UInt8(ascii: "M"), let m = digits(u, from: sec.end + 2), m.value < 1_000_000 {
            micros = m.value
        }
        return (sec.value, micros)
    }

    /// A run of at most 15 decimal digits starting at `from`.
    private static func digits(_ u: [UInt8], from: Int) -> (value: Int, end: Int)? {
        var v = 0
        var i = from
        while i < u.count, i - from < 15, u[i] >= 0x30, u[i] <= 0x39 {
            v = v * 10 + Int(u[i] - 0x30)
            i += 1
        }
        return i == from ? nil : (v, i)
    }
}
