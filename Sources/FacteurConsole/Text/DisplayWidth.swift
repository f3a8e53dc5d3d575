import Foundation
import CNcursesw
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Column arithmetic for terminal text: a character's width is what `wcwidth` says
/// (0 for combining marks, 2 for CJK and most emoji), not its count.
public enum DisplayWidth {
    /// `wcwidth` only knows non-ASCII widths under a UTF-8 `LC_CTYPE`; set one once,
    /// before the first measurement (the console does the same before curses starts).
    private static let localeReady: Bool = {
        ensureUTF8Locale()
        return true
    }()

    /// Takes the user's character type locale (LC_CTYPE only: number formats elsewhere in the
    /// process stay as they are); falls back to C.UTF-8 when its codeset is not UTF-8.
    @discardableResult
    public static func ensureUTF8Locale() -> Bool {
        setlocale(LC_CTYPE, "")
        if isUTF8Codeset() { return true }
        setlocale(LC_CTYPE, "C.UTF-8")
        return isUTF8Codeset()
    }

    private static func isUTF8Codeset() -> Bool {
        guard let cs = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: cs).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// Columns one scalar takes. Control characters are shown as one replacement column.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        _ = localeReady
        if scalar.value < 0x20 || scalar.value == 0x7F { return 1 }
        if scalar.value < 0x7F { return 1 }
        let w = Int(facteur_wcwidth(scalar.value))
        return w < 0 ? 1 : w
    }

    /// Columns one grapheme takes (combining marks add nothing; clamped to 2).
    public static func width(of character: Character) -> Int {
        var total = 0
        for scalar in character.unicodeScalars { total += width(of: scalar) }
        if character.unicodeScalars.count > 1 { return min(max(total, 1), 2) }
        return total
    }

    public static func width(of text: String) -> Int {
        var total = 0
        for ch in text { total += width(of: ch) }
        return total
    }

    /// Replaces control characters (tabs, newlines, escapes) that would move the cursor.
    public static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }) else {
            return text
        }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if s == "\t" || s == "\n" || s == "\r" { out.append(" ") }
            else if s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0) { out.append("?") }
            else { out.append(s) }
        }
        return String(out)
    }

    /// The longest prefix that fits in `columns`; adds "…" when something was cut.
    /// Never splits a wide character: a half cell left over is padded with a space by `fit`.
    public static func truncate(_ text: String, to columns: Int, ellipsis: Bool = true) -> String {
        guard columns > 0 else { return "" }
        let clean = sanitized(text)
        if width(of: clean) <= columns { return clean }
        let budget = ellipsis ? columns - 1 : columns
        var out = ""
        var used = 0
        for ch in clean {
            let w = width(of: ch)
            if used + w > budget { break }
            out.append(ch)
            used += w
        }
        return ellipsis ? out + "…" : out
    }

    /// Exactly `columns` wide: truncated, then padded with spaces (left or right aligned).
    public static func fit(_ text: String, to columns: Int, alignRight: Bool = false) -> String {
        guard columns > 0 else { return "" }
        let cut = truncate(text, to: columns)
        let pad = max(0, columns - width(of: cut))
        let spaces = String(repeating: " ", count: pad)
        return alignRight ? spaces + cut : cut + spaces
    }

    /// Lines of at most `columns`: greedy on spaces, words wider than a line split by character.
    /// Leading spaces of the text are kept (quoted or indented mail stays indented).
    public static func wrap(_ text: String, to columns: Int) -> [String] {
        let clean = sanitized(text)
        guard columns > 0 else { return [clean] }
        if width(of: clean) <= columns { return [clean] }
        var lines: [String] = []
        var current = ""
        var used = 0
        func flush() { lines.append(current); current = ""; used = 0 }
        for word in clean.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let w = width(of: word)
            let gap = current.isEmpty ? 0 : 1
            if used + gap + w <= columns {
                if gap == 1 { current.append(" ") }
                current += word; used += gap + w
                continue
            }
            if !current.isEmpty { flush() }
            if w <= columns { current = word; used = w; continue }
            for ch in word {
                let cw = width(of: ch)
                if used + cw > columns { flush() }
                current.append(ch); used += cw
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
