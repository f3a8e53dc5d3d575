import Foundation

/// A theme file: one role per line, `role = foreground on background, attribute, …`.
///
///     # comment
///     title     = white on blue, bold
///     selected  = black on cyan
///     dim       = bright-black
///     danger    = on red, bold        # background only
///     chart     = color 214           # 256-colour index
///
/// Colours: default, black, red, green, yellow, blue, magenta, cyan, white, bright-<name>,
/// or `color N` / `colorN` with N in 0…255. Attributes: bold, dim, underline, reverse,
/// standout, italic. Every role may appear once.
public enum ThemeParser {
    public static let maxLineLength = 500
    public static let maxLines = 1_000

    static let colourNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    public static func parse(_ text: String, name: String, file: String) throws(ThemeError) -> Theme {
        var styles: [Role: Theme.Style] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count <= maxLines else { throw ThemeError.invalid(file: file, line: maxLines + 1, message: "too many lines (limit \(maxLines))") }
        for (i, raw) in lines.enumerated() {
            let lineNumber = i + 1
            func fail(_ m: String) -> ThemeError { .invalid(file: file, line: lineNumber, message: m) }
            guard raw.count <= maxLineLength else { throw fail("line longer than \(maxLineLength) characters") }
            var line = String(raw)
            if let hash = line.firstIndex(of: "#") { line = String(line[..<hash]) }
            line = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            guard let eq = line.firstIndex(of: "=") else { throw fail("expected `role = colours`, found “\(line)”") }
            let roleName = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            guard let role = Role(rawValue: roleName) else {
                throw fail("unknown role “\(roleName)” (roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard styles[role] == nil else { throw fail("role “\(roleName)” is given twice") }
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            styles[role] = try parseStyle(value, fail: fail)
        }
        return Theme(name: name, styles: styles)
    }

    static func parseStyle(_ value: String, fail: (String) -> ThemeError) throws(ThemeError) -> Theme.Style {
        var style = Theme.Style()
        let items = value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard !items.isEmpty, !(items.count == 1 && items[0].isEmpty) else { throw fail("no colour or attribute given") }
        for (k, item) in items.enumerated() {
            if item.isEmpty { throw fail("empty item between commas") }
            if k > 0 || Theme.Attribute(rawValue: item) != nil {
                guard let a = Theme.Attribute(rawValue: item) else {
                    throw fail("unknown attribute “\(item)” (attributes: \(Theme.Attribute.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                style.attributes.insert(a)
                continue
            }
            // "fg", "fg on bg" or "on bg".
            let words = item.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            var fgWords: [String] = []
            var bgWords: [String] = []
            if let on = words.firstIndex(of: "on") {
                fgWords = Array(words[..<on]); bgWords = Array(words[(on + 1)...])
                if bgWords.isEmpty { throw fail("“on” without a background colour") }
            } else {
                fgWords = words
            }
            if !fgWords.isEmpty { style.foreground = try colour(fgWords.joined(separator: " "), fail: fail) }
            if !bgWords.isEmpty { style.background = try colour(bgWords.joined(separator: " "), fail: fail) }
        }
        return style
    }

    static func colour(_ text: String, fail: (String) -> ThemeError) throws(ThemeError) -> Theme.Color {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "default" { return .terminalDefault }
        if let i = colourNames.firstIndex(of: t) { return .index(UInt8(i)) }
        if t.hasPrefix("bright-"), let i = colourNames.firstIndex(of: String(t.dropFirst(7))) { return .index(UInt8(i + 8)) }
        if t == "grey" || t == "gray" { return .index(8) }
        var digits = t
        if digits.hasPrefix("color") { digits = String(digits.dropFirst(5)).trimmingCharacters(in: .whitespaces) }
        else if digits.hasPrefix("colour") { digits = String(digits.dropFirst(6)).trimmingCharacters(in: .whitespaces) }
        if !digits.isEmpty, digits.count <= 3, digits.allSatisfy(\.isASCII), let n = Int(digits), (0...255).contains(n) {
            return .index(UInt8(n))
        }
        throw fail("unknown colour “\(t)” (use a name such as red, bright-blue, default, or color 0–255)")
    }
}

public enum ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(name: String, searched: [String])
    case invalidName(String)
    case unreadable(file: String, reason: String)
    case invalid(file: String, line: Int, message: String)

    public var description: String {
        switch self {
        case let .notFound(name, searched): return "theme “\(name)” not found (looked for: \(searched.joined(separator: ", ")))"
        case let .invalidName(n): return "invalid theme name “\(n)”: use letters, digits, - and _"
        case let .unreadable(file, reason): return "\(file): cannot read theme: \(reason)"
        case let .invalid(file, line, message): return "\(file):\(line): \(message)"
        }
    }
}

extension Theme {
    /// File name of a theme: `<name>.theme`.
    public static func fileName(for name: String) -> String { name + ".theme" }

    /// Finds `<name>.theme` in the first search path that has it and parses it.
    public static func load(name: String, searchPaths: [String]) throws(ThemeError) -> Theme {
        guard !name.isEmpty, name.count <= 64,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw .invalidName(name)
        }
        var searched: [String] = []
        for dir in searchPaths {
            let path = (dir as NSString).appendingPathComponent(fileName(for: name))
            searched.append(path)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw .unreadable(file: path, reason: error.localizedDescription)
            }
            guard data.count <= ConsoleLimits.themeFileBytes else { throw .unreadable(file: path, reason: "larger than \(ConsoleLimits.themeFileBytes) bytes") }
            guard let text = String(data: data, encoding: .utf8) else { throw .unreadable(file: path, reason: "not UTF-8 text") }
            return try ThemeParser.parse(text, name: name, file: path)
        }
        // An installed binary without its themes/ folder still starts, in the default colours.
        if name == "default" { return try ThemeParser.parse(builtInDefaultText, name: name, file: "(built-in default theme)") }
        if name == "monochrome" { return .monochrome }
        throw .notFound(name: name, searched: searched)
    }

    /// themes/default.theme, built in (a test keeps the two the same).
    static let builtInDefaultText = """
    # Facteur console theme: default (dark terminals).
    # Format: role = foreground on background, attribute, ...
    # Colours: default, black, red, green, yellow, blue, magenta, cyan, white, bright-<colour>, color 0-255.
    # Attributes: bold, dim, underline, reverse, standout, italic.
    # Roles left out look as in the monochrome theme.
    normal        = default
    title         = bright-white on blue, bold
    tab           = white on blue
    tab-active    = black on cyan, bold
    header        = cyan, bold
    selected      = black on cyan
    ok            = green
    warning       = yellow, bold
    danger        = bright-red, bold
    dim           = bright-black
    accent        = bright-cyan, bold
    status        = white on blue
    status-ok     = black on green
    status-error  = bright-white on red, bold
    overlay       = white on color 236
    overlay-title = bright-yellow on color 236, bold
    input         = bright-white on color 238
    chart         = bright-green
    """
}
