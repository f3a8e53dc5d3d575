/// Reads one header field from the start of a message, for events and the console
/// (not for anything that must be exact: the IMAP MIME parser does that).
public enum HeaderPeek {
    /// The unfolded `Subject:` of the header section found in `bytes`, if any.
    public static func subject(in bytes: [UInt8]) -> String? { field("subject", in: bytes) }

    public static func field(_ name: String, in bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        var value: String?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty { break }
            if let v = value, line.first == " " || line.first == "\t" {
                value = v + " " + line.drop(while: { $0 == " " || $0 == "\t" })
                continue
            }
            if value != nil { break }
            if let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == name {
                value = String(line[line.index(after: colon)...].drop(while: { $0 == " " }))
            }
        }
        return value
    }
}
