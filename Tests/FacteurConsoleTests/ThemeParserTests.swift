import Foundation
import Testing
@testable import FacteurConsole

@Suite struct ThemeParserTests {
    /// /work/main/themes, found from this file (through the scratch package's symlink too).
    static let themesDirectory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes").path

    @Test func parsesColoursBackgroundsAndAttributes() throws {
        let text = """
        # comment
        title    = bright-white on blue, bold   # trailing comment
        selected = black on color 214
        danger   = on red, underline
        dim      = colour8
        ok       = default
        warning  = bold, reverse
        """
        let t = try ThemeParser.parse(text, name: "t", file: "t.theme")
        #expect(t.style(for: .title) == .init(foreground: .index(15), background: .index(4), attributes: [.bold]))
        #expect(t.style(for: .selected) == .init(foreground: .index(0), background: .index(214)))
        #expect(t.style(for: .danger) == .init(foreground: .terminalDefault, background: .index(1), attributes: [.underline]))
        #expect(t.style(for: .dim) == .init(foreground: .index(8)))
        #expect(t.style(for: .ok) == .init())
        #expect(t.style(for: .warning) == .init(attributes: [.bold, .reverse]))
        // Left out: as monochrome.
        #expect(t.style(for: .tab) == Theme.monochrome.style(for: .tab))
    }

    @Test(arguments: [
        ("title = white on blue\nselcted = black", 2, "unknown role “selcted”"),
        ("title = purple", 1, "unknown colour “purple”"),
        ("\n\ntitle = white, blink", 3, "unknown attribute “blink”"),
        ("title white", 1, "expected `role = colours`"),
        ("title = white on", 1, "“on” without a background colour"),
        ("title = color 256", 1, "unknown colour “color 256”"),
        ("title = ", 1, "no colour or attribute given"),
        ("title = red\ntitle = blue", 2, "role “title” is given twice"),
        ("ok = red,,bold", 1, "empty item between commas"),
    ] as [(String, Int, String)])
    func errorsNameTheFileAndLine(text: String, line: Int, message: String) {
        do {
            _ = try ThemeParser.parse(text, name: "broken", file: "/etc/facteur/themes/broken.theme")
            Issue.record("parsed: \(text)")
        } catch {
            #expect(error.description.hasPrefix("/etc/facteur/themes/broken.theme:\(line): " + message), "\(error.description)")
        }
    }

    @Test func shippedThemesLoad() throws {
        for name in ["default", "light", "high-contrast", "monochrome"] {
            let t = try Theme.load(name: name, searchPaths: ["/nonexistent", Self.themesDirectory])
            #expect(t.name == name)
            // Every role is given in every shipped theme.
            #expect(Set(t.styles.keys) == Set(Role.allCases), "\(name)")
        }
        let mono = try Theme.load(name: "monochrome", searchPaths: [Self.themesDirectory])
        #expect(mono.styles.values.allSatisfy { $0.foreground == .terminalDefault && $0.background == .terminalDefault })
        #expect(mono.styles == Theme.monochrome.styles)
    }

    @Test func defaultAndMonochromeAreBuiltInWhenNoThemesFolderIsFound() throws {
        let builtIn = try Theme.load(name: "default", searchPaths: ["/tmp/none"])
        let shipped = try Theme.load(name: "default", searchPaths: [Self.themesDirectory])
        #expect(builtIn.styles == shipped.styles)
        let text = try String(contentsOfFile: Self.themesDirectory + "/default.theme", encoding: .utf8)
        #expect(Theme.builtInDefaultText == text.trimmingCharacters(in: .newlines))
        #expect(try Theme.load(name: "monochrome", searchPaths: []).styles == Theme.monochrome.styles)
    }

    @Test func loadErrors() throws {
        #expect(throws: ThemeError.invalidName("../etc/passwd")) { try Theme.load(name: "../etc/passwd", searchPaths: [Self.themesDirectory]) }
        #expect(throws: ThemeError.notFound(name: "nope", searched: ["/tmp/none/nope.theme"])) {
            try Theme.load(name: "nope", searchPaths: ["/tmp/none"])
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-theme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.theme")
        try Data("title = white\nselected = chartreuse\n".utf8).write(to: file)
        #expect(throws: ThemeError.invalid(file: file.path, line: 2, message: "unknown colour “chartreuse” (use a name such as red, bright-blue, default, or color 0–255)")) {
            try Theme.load(name: "bad", searchPaths: [dir.path])
        }
    }

    @Test func coloursAreReducedForSmallTerminals() {
        #expect(Theme.reduce(.index(9), toColours: 8) == .index(1))     // bright red → red
        #expect(Theme.reduce(.index(196), toColours: 8) == .index(1))   // cube red → red
        #expect(Theme.reduce(.index(21), toColours: 8) == .index(4))    // cube blue → blue
        #expect(Theme.reduce(.index(255), toColours: 8, foreground: false) == .index(7))   // light grey background → white
        #expect(Theme.reduce(.index(232), toColours: 8, foreground: false) == .index(0))   // dark grey background → black
        #expect(Theme.reduce(.index(244), toColours: 8) == .terminalDefault)   // grey text stays readable
        #expect(Theme.reduce(.index(8), toColours: 8) == .terminalDefault)
        #expect(Theme.reduce(.index(196), toColours: 256) == .index(196))
        #expect(Theme.reduce(.terminalDefault, toColours: 8) == .terminalDefault)
    }

    @Test func withoutColoursKeepsAttributesAndNeverLosesTheSelection() throws {
        let t = try Theme.load(name: "default", searchPaths: [Self.themesDirectory]).withoutColours()
        #expect(t.styles.values.allSatisfy { $0.foreground == .terminalDefault && $0.background == .terminalDefault })
        #expect(t.style(for: .selected).attributes.contains(.reverse))
        #expect(t.style(for: .title).attributes.contains(.bold))
    }

    @Test func noColorEnvironment() {
        #expect(ConsoleOptions.coloursWanted(environment: [:]))
        #expect(ConsoleOptions.coloursWanted(environment: ["NO_COLOR": ""]))
        #expect(!ConsoleOptions.coloursWanted(environment: ["NO_COLOR": "1"]))
    }
}
