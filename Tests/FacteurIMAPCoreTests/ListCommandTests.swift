import Testing
@testable import FacteurIMAPCore

struct ListCommandTests {
    private func list(_ text: String) throws -> ListCommand {
        guard case .list(let list) = try IMAPCommandParser.parse(Array("t LIST \(text)\r\n".utf8)).command else {
            throw IMAPParseError("not a LIST")
        }
        return list
    }

    @Test func basicListIsNotExtended() throws {
        let command = try list("~/Mail/ %")
        #expect(command == ListCommand(reference: "~/Mail/", patterns: ["%"]))
        #expect(!command.isExtended)
    }

    @Test func extendedForms() throws {
        #expect(try list("\"\" * RETURN (SPECIAL-USE)").returnOptions == [.specialUse])
        #expect(try list("() \"\" *").isExtended)
        #expect(try list("\"\" (a b)").patterns == ["a", "b"])
        #expect(try list("\"\" * RETURN ()").returnOptions == [])
    }

    @Test(arguments: ["", "\"\"", "\"\" * RETURN", "\"\" * RETURN (BOGUS)", "\"\" * EXTRA (X)"])
    func refuses(_ text: String) {
        #expect(throws: IMAPParseError.self) { try list(text) }
    }
}
