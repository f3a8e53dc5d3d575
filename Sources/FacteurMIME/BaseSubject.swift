import Foundation

/// The base subject of RFC 5256 §2.1, the key SORT (SUBJECT) and THREAD compare: the subject
/// with its encoded words decoded and its reply/forward decorations ("Re:", "Fwd:", "[list]",
/// "(fwd)", "[fwd: …]") removed, mapped with i;unicode-casemap (RFC 5051) so that two base
/// subjects compare equal exactly when their UTF-8 octets do.
public struct BaseSubject: Hashable, Sendable {
    /// The comparison form: casemapped, single spaces, no leading or trailing space.
    public var key: String
    /// True when extraction removed "Re:", "Fw:", "Fwd:", "(fwd)" or "[fwd: …]" (RFC 5256
    /// §2.1 step 6 note; THREAD=REFERENCES §2.2 step 5 uses it).
    public var isReplyOrForward: Bool

    public init(key: String, isReplyOrForward: Bool) {
        self.key = key; self.isReplyOrForward = isReplyOrForward
    }

    /// Extracts the base subject of a raw `Subject:` value (unfolded, encoded words still encoded).
    public init(subject raw: String?) {
        // (1) Decode encoded words, turn tabs and line ends into spaces, squeeze spaces.
        let decoded = EncodedWord.decode(String((raw ?? "").prefix(MIMELimits.maxSortSubject)))
        var text: [Unicode.Scalar] = []
        for scalar in decoded.unicodeScalars {
            let space = scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n"
            if space { if text.last != " " { text.append(" ") } } else { text.append(scalar) }
        }
        var reply = false
        var slice = text[...]
        while true {
            // (2) Trailing "(fwd)" and spaces.
            while true {
                while slice.last == " " { slice = slice.dropLast() }
                guard Self.hasSuffixFwd(slice) else { break }
                slice = slice.dropLast(5)
                reply = true
            }
            // (3)–(5) Leading spaces, "re:"/"fw:"/"fwd:" with their blobs, and lone blobs
            // when something remains after them.
            var changed = true
            while changed {
                changed = false
                while slice.first == " " { slice = slice.dropFirst(); changed = true }
                if let rest = Self.dropReplyLeader(slice) {
                    slice = rest; reply = true; changed = true
                    continue
                }
                if let rest = Self.dropBlob(slice), !rest.allSatisfy({ $0 == " " }) {
                    slice = rest; changed = true
                }
            }
            // (6) "[fwd:" … "]" around the whole subject.
            if slice.count >= 6, Self.lowercased(slice.prefix(5)) == Array("[fwd:".unicodeScalars), slice.last == "]" {
                slice = slice.dropFirst(5).dropLast()
                reply = true
                continue
            }
            break
        }
        while slice.last == " " { slice = slice.dropLast() }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: slice)
        self.init(key: Self.casemap(String(result)), isReplyOrForward: reply)
    }

    /// i;unicode-casemap (RFC 5051 §2): titlecase (uppercase here: they differ only for a
    /// handful of digraphs), then NFKD.
    public static func casemap(_ text: String) -> String {
        text.uppercased().decomposedStringWithCompatibilityMapping
    }

    private static func lowercased(_ scalars: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        scalars.map { $0.value >= 65 && $0.value <= 90 ? Unicode.Scalar($0.value + 32)! : $0 }
    }

    private static func hasSuffixFwd(_ slice: ArraySlice<Unicode.Scalar>) -> Bool {
        slice.count >= 5 && lowercased(slice.suffix(5)) == Array("(fwd)".unicodeScalars)
    }

    /// `subj-blob = "[" *BLOBCHAR "]" *WSP`: the rest after one blob, or nil.
    private static func dropBlob(_ slice: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar>? {
        guard slice.first == "[" else { return nil }
        var index = slice.startIndex + 1
        while index < slice.endIndex, slice[index] != "]" {
            if slice[index] == "[" { return nil }
            index += 1
        }
        guard index < slice.endIndex else { return nil }
        var rest = slice[(index + 1)...]
        while rest.first == " " { rest = rest.dropFirst() }
        return rest
    }

    /// `subj-leader = *subj-blob subj-refwd`, `subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"`:
    /// the rest after one leader, or nil.
    private static func dropReplyLeader(_ slice: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar>? {
        var rest = slice
        while let after = dropBlob(rest) { rest = after }
        let head = lowercased(rest.prefix(3))
        if head.starts(with: Array("re".unicodeScalars)) {
            rest = rest.dropFirst(2)
        } else if head == Array("fwd".unicodeScalars) {
            rest = rest.dropFirst(3)
        } else if head.starts(with: Array("fw".unicodeScalars)) {
            rest = rest.dropFirst(2)
        } else {
            return nil
        }
        while rest.first == " " { rest = rest.dropFirst() }
        if let after = dropBlob(rest) { rest = after }
        guard rest.first == ":" else { return nil }
        return rest.dropFirst()
    }
}
