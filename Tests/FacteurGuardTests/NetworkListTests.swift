import FacteurTestSupport
import Foundation
import Testing
@testable import FacteurGuard

@Suite struct NetworkListTests {
    @Test func parsesEntriesCommentsAndBlankLines() throws {
        let text = """
        # office
        203.0.113.0/24

          2001:db8:1::/48   # branch\r
        198.51.100.7\t
        # end
        """
        #expect(try parseNetworkList(text: text) == [net("203.0.113.0/24"), net("2001:db8:1::/48"), net("198.51.100.7")])
    }

    @Test func emptyFileIsEmptyList() throws {
        #expect(try parseNetworkList(text: "").isEmpty)
        #expect(try parseNetworkList(text: "# nothing\n\n").isEmpty)
    }

    /// text → the error, naming the line.
    static let failures: [(String, NetworkListError)] = [
        ("10.0.0.0/8\nbogus\n", .invalidNetwork(line: 2, text: "bogus")),
        ("\r\n\r\n10.0.0.0/33\r\n", .invalidNetwork(line: 3, text: "10.0.0.0/33")),
        ("10.0.0.1 10.0.0.2", .invalidNetwork(line: 1, text: "10.0.0.1 10.0.0.2")),
        ("# ok\n" + String(repeating: " ", count: GuardLimits.maxListLineLength + 1), .lineTooLong(line: 2)),
    ]

    @Test(arguments: failures)
    func errorsNameTheLine(text: String, expected: NetworkListError) {
        #expect(throws: expected) { try parseNetworkList(text: text) }
    }

    @Test func errorDescriptionNamesLine() {
        #expect(NetworkListError.invalidNetwork(line: 7, text: "x").description.hasPrefix("line 7:"))
    }
}
