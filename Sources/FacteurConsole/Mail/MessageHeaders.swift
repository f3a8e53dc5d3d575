/// Header fields of a message or MIME part: unfolded (RFC 5322 §2.2.3) and with encoded words
/// decoded (RFC 2047). Lenient: a line without a colon is skipped.
public struct MessageHeaders: Sendable, Equatable {
    public static let maxFields = 1_000
    public var fields: [(name: String, value: String)]

    public static func == (a: MessageHeaders, b: MessageHeaders) -> Bool {
        a.fields.map(\.name) == b.fields.map(\.name) && a.fields.map(\.value) == b.fields.map(\.value)
    }

    public subscript(name: String) -> String? {
        let lower = name.lowercased()
        return fields.first(where: { $0.name.lowercased() == lower })?.value
    }

    /// Parses the header block (bytes before the empty line).
    public init(block: ArraySlice<UInt8>) {
        var unfolded: [String] = []
        for rawLine in Self.lines(block) {
            let line = String(decoding: rawLine, as: UTF8.self)
            if let first = line.first, first == " " || first == "\t", !unfolded.isEmpty {
                unfolded[unfolded.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
            } else if unfolded.count < Self.maxFields {
                unfolded.append(line)
            }
        }
        fields = unfolded.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { return nil }
            return (name, EncodedWords.decode(value))
        }
    }

    /// Splits on LF, dropping a CR before it.
    static func lines(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == 0x0A {
                var end = i
                if end > start, bytes[end - 1] == 0x0D { end -= 1 }
                out.append(bytes[start..<end])
                start = i + 1
            }
            i += 1
        }
        if start < bytes.endIndex { out.append(bytes[start..<bytes.endIndex]) }
        return out
    }

    /// Where the header block ends and the body starts (after the first empty line).
    static func split(_ bytes: ArraySlice<UInt8>) -> (header: ArraySlice<UInt8>, body: ArraySlice<UInt8>) {
        var i = bytes.startIndex
        var lineStart = true
        while i < bytes.endIndex {
            if lineStart {
                if bytes[i] == 0x0A { return (bytes[bytes.startIndex..<i], bytes[(i + 1)...]) }
                if bytes[i] == 0x0D, i + 1 < bytes.endIndex, bytes[i + 1] == 0x0A {
                    return (bytes[bytes.startIndex..<i], bytes[(i + 2)...])
                }
            }
            lineStart = bytes[i] == 0x0A
            i += 1
        }
        return (bytes, bytes[bytes.endIndex...])
    }
}

/// A Content-Type value: "text/plain; charset=utf-8" (RFC 2045 §5.1).
struct ContentType: Equatable {
    var type: String
    var subtype: String
    var parameters: [String: String]

    var mimeType: String { type + "/" + subtype }

    init(_ value: String?) {
        let v = value ?? "text/plain"
        var parts = Self.splitParameters(v)
        let main = parts.isEmpty ? "text/plain" : parts.removeFirst()
        let ts = main.lowercased().split(separator: "/", maxSplits: 1)
        type = ts.first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? "text"
        subtype = ts.count > 1 ? String(ts[1]).trimmingCharacters(in: .whitespaces) : "plain"
        if type.isEmpty { type = "text"; subtype = "plain" }
        var params: [String: String] = [:]
        for p in parts {
            guard let eq = p.firstIndex(of: "=") else { continue }
            let k = p[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var val = p[p.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if val.count >= 2, val.hasPrefix("\""), val.hasSuffix("\"") { val = String(val.dropFirst().dropLast()) }
            params[k] = val
        }
        parameters = params
    }

    /// Splits on ";" outside quoted strings.
    static func splitParameters(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var quoted = false
        for ch in s {
            if ch == "\"" { quoted.toggle() }
            if ch == ";" && !quoted { out.append(cur); cur = "" } else { cur.append(ch) }
        }
        out.append(cur)
        return out.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
