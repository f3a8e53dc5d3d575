import Testing
@testable import FacteurConsole

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("abc", 3), ("élan", 4), ("e\u{301}lan", 4), ("山田", 4), ("日本語 ok", 9), ("", 0), ("a\tb", 3),
    ])
    func widths(text: String, expected: Int) {
        #expect(DisplayWidth.width(of: text) == expected)
    }

    @Test func truncatesWideCharactersWithoutSplittingThem() {
        // 5 columns: "山田" (4) + "…" (1); "山田太" would need 6.
        #expect(DisplayWidth.truncate("山田太郎", to: 5) == "山田…")
        // 6 columns: "山田" + "…" = 5 columns; fit pads the half cell.
        #expect(DisplayWidth.truncate("山田太郎", to: 6) == "山田…")
        #expect(DisplayWidth.fit("山田太郎", to: 6) == "山田… ")
        #expect(DisplayWidth.width(of: DisplayWidth.fit("山田太郎", to: 6)) == 6)
    }

    @Test func keepsTextThatFits() {
        #expect(DisplayWidth.truncate("Renée", to: 5) == "Renée")
        #expect(DisplayWidth.fit("Renée", to: 7) == "Renée  ")
        #expect(DisplayWidth.fit("42", to: 5, alignRight: true) == "   42")
    }

    @Test func controlCharactersCannotMoveTheCursor() {
        #expect(DisplayWidth.sanitized("a\u{1B}[2Jb\nc") == "a?[2Jb c")
    }

    @Test func zeroOrNegativeWidthGivesNothing() {
        #expect(DisplayWidth.truncate("abc", to: 0) == "")
        #expect(DisplayWidth.fit("abc", to: -3) == "")
    }

    @Test func wrapsByColumns() {
        #expect(DisplayWidth.wrap("un deux trois", to: 7) == ["un deux", "trois"])
        #expect(DisplayWidth.wrap("山田太郎", to: 5) == ["山田", "太郎"])
        #expect(DisplayWidth.wrap("abcdefgh ij", to: 3) == ["abc", "def", "gh", "ij"])
        #expect(DisplayWidth.wrap("", to: 10) == [""])
        #expect(DisplayWidth.wrap("  indented", to: 20) == ["  indented"])
    }
}
