import Foundation
import TOMLKit

/// Reads typed values out of a TOML table and remembers which keys were read, so that every key
/// nobody asked for can be reported as unknown, with its line.
final class TOMLReader {
    let file: String
    let lines: [Substring]
    private(set) var errors: [ConfigError] = []

    init(file: String, text: String) {
        self.file = file
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Line of `key` inside `[section]` (dotted path), found by scanning the text.
    func line(of key: String, in path: [String]) -> Int? {
        var current: [String] = []
        for (i, raw) in lines.enumerated() {
            let l = raw.trimmingCharacters(in: .whitespaces)
            if l.hasPrefix("[") {
                let name = l.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                    .split(separator: "#").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                current = name.split(separator: ".").map { String($0).trimmingCharacters(in: .whitespaces) }
                if current + [] == path + [key] { return i + 1 }
                continue
            }
            guard current == path else { continue }
            let k = l.split(separator: "=", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if k == key || k == "\"\(key)\"" { return i + 1 }
        }
        return nil
    }

    func fail(_ message: String, key: String? = nil, path: [String]) {
        let line = key.flatMap { self.line(of: $0, in: path) }
        errors.append(ConfigError(file: file, line: line, message: message))
    }

    func section(_ table: TOMLTable, path: [String]) -> Section { Section(reader: self, table: table, path: path) }

    final class Section {
        let reader: TOMLReader
        let table: TOMLTable
        let path: [String]
        var used: Set<String> = []

        init(reader: TOMLReader, table: TOMLTable, path: [String]) {
            self.reader = reader; self.table = table; self.path = path
        }

        var name: String { path.isEmpty ? "top level" : "[\(path.joined(separator: "."))]" }

        private func value(_ key: String) -> TOMLValueConvertible? {
            used.insert(key)
            return table[key]
        }

        private func wrong(_ key: String, _ expected: String) {
            reader.fail("'\(key)' in \(name) must be \(expected)", key: key, path: path)
        }

        func string(_ key: String) -> String? {
            guard let v = value(key) else { return nil }
            guard let s = v.string else { wrong(key, "a string"); return nil }
            return s
        }

        func int(_ key: String, min: Int = Int.min) -> Int? {
            guard let v = value(key) else { return nil }
            guard let i = v.int else { wrong(key, "a whole number"); return nil }
            guard i >= min else { wrong(key, "at least \(min)"); return nil }
            return i
        }

        func bool(_ key: String) -> Bool? {
            guard let v = value(key) else { return nil }
            guard let b = v.bool else { wrong(key, "true or false"); return nil }
            return b
        }

        func strings(_ key: String) -> [String]? {
            guard let v = value(key) else { return nil }
            guard let a = v.array else { wrong(key, "a list of strings, like [\"a\", \"b\"]"); return nil }
            var out: [String] = []
            for item in a {
                guard let s = item.string else { wrong(key, "a list of strings"); return nil }
                out.append(s)
            }
            return out
        }

        func duration(_ key: String) -> TimeInterval? {
            guard let v = value(key) else { return nil }
            if let i = v.int, i >= 0 { return TimeInterval(i) }
            guard let s = v.string, let d = DurationText.parse(s) else {
                wrong(key, "a duration like \"30s\", \"5m\", \"24h\" or \"7d\""); return nil
            }
            return d
        }

        func durations(_ key: String) -> [TimeInterval]? {
            guard let list = strings(key) else { return nil }
            var out: [TimeInterval] = []
            for s in list {
                guard let d = DurationText.parse(s) else { wrong(key, "a list of durations like [\"24h\", \"7d\"]"); return nil }
                out.append(d)
            }
            return out
        }

        func listen(_ key: String) -> [ListenAddress]? {
            guard let list = strings(key) else { return nil }
            var out: [ListenAddress] = []
            for s in list {
                guard let a = ListenAddress(s) else {
                    wrong(key, "a list of \"host:port\" addresses (\"0.0.0.0:25\", \"[::]:25\"), not \"\(s)\""); return nil
                }
                out.append(a)
            }
            return out
        }

        func subsection(_ key: String) -> Section? {
            guard let v = value(key) else { return nil }
            guard let t = v.table else { wrong(key, "a table ([\((path + [key]).joined(separator: "."))])"); return nil }
            return reader.section(t, path: path + [key])
        }

        func tables(_ key: String) -> [Section]? {
            guard let v = value(key) else { return nil }
            guard let a = v.array else { wrong(key, "an array of tables ([[\(key)]])"); return nil }
            var out: [Section] = []
            for item in a {
                guard let t = item.table else { wrong(key, "an array of tables ([[\(key)]])"); return nil }
                out.append(reader.section(t, path: path + [key]))
            }
            return out
        }

        /// Reports every key of this table that was never read.
        func finish() {
            for key in table.keys where !used.contains(key) {
                reader.fail("unknown key '\(key)' in \(name)", key: key, path: path)
            }
        }
    }
}
