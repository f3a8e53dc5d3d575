/// A guard in front of toml++ (TOMLKit's parser), for the two inputs the config fuzz target found
/// that trip its assertions. 1. An array element that starts with "}" (`a = [ }`, `a = [1, }`)
/// asserts in `parse_value`. 2. A table header whose first key does not start
/// with a bare-key character or a quote (`[=]`, `[.mail]`, `[é]`, `[[!]]`) trips an assertion in
/// toml++ 3's `parse_key` — an abort in a debug build, undefined behaviour (an assumed-true
/// condition) in a release build. Found by the `config` fuzz target (Fuzz/README.md). Such a
/// line is reported here, as the syntax error it is, before toml++ reads the text.
///
/// The scan knows just enough TOML to find header lines: strings (basic, literal, multi-line),
/// comments, and the brackets of values, so that a line starting with `[` inside a multi-line
/// array (`[{ a = 1 }]`) is not taken for a header.
enum TOMLHeaderCheck {
    /// The 1-based line of the first header toml++ cannot take, or nil.
    static func badHeaderLine(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        var i = 0, line = 1
        // Open value brackets ("[" or "{"); an array element is expected after "[" or ",".
        var open: [UInt8] = []
        var elementExpected = false
        var atLineStart = true
        // A UTF-8 byte order mark, which toml++ skips.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        func at(_ k: Int) -> UInt8? { k < bytes.count ? bytes[k] : nil }
        func starts(_ s: String, _ k: Int) -> Bool {
            let u = Array(s.utf8)
            return k + u.count <= bytes.count && Array(bytes[k..<k + u.count]) == u
        }
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\n") { line += 1; atLineStart = true; i += 1; continue }
            let blank = c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "#")
            if elementExpected && !blank {
                // toml++ 3 asserts in parse_value on an array element that starts with "}".
                if c == UInt8(ascii: "}") { return line }
                elementExpected = false
            }
            if atLineStart && (c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r")) { i += 1; continue }
            if atLineStart && open.isEmpty && c == UInt8(ascii: "[") {
                var k = i + 1
                if at(k) == UInt8(ascii: "[") { k += 1 }
                while at(k) == UInt8(ascii: " ") || at(k) == UInt8(ascii: "\t") { k += 1 }
                guard let first = at(k), isKeyStart(first) else { return line }
                // The rest of the header line holds no value brackets.
                while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { i += 1 }
                continue
            }
            atLineStart = false
            switch c {
            case UInt8(ascii: "#"):
                while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { i += 1 }
                continue
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let quote = c
                let multi = starts(c == UInt8(ascii: "\"") ? "\"\"\"" : "'''", i)
                i += multi ? 3 : 1
                while i < bytes.count {
                    let d = bytes[i]
                    if d == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") { i += 2; continue }
                    if d == UInt8(ascii: "\n") {
                        if !multi { break }
                        line += 1
                    }
                    if d == quote && (!multi || starts(quote == UInt8(ascii: "\"") ? "\"\"\"" : "'''", i)) {
                        i += multi ? 3 : 1
                        break
                    }
                    i += 1
                }
                continue
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                open.append(c)
                elementExpected = c == UInt8(ascii: "[")
            case UInt8(ascii: "]"), UInt8(ascii: "}"): _ = open.popLast()
            case UInt8(ascii: ","): elementExpected = open.last == UInt8(ascii: "[")
            default: break
            }
            i += 1
        }
        return nil
    }

    /// What may open a key in toml++: a bare-key character (A-Z a-z 0-9 _ -), a quote, or the
    /// `]` of an empty header (which toml++ reports itself). A line end or the end of the text
    /// right after `[` trips the same assertion.
    static func isKeyStart(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "]"):
            return true
        default:
            return false
        }
    }
}
