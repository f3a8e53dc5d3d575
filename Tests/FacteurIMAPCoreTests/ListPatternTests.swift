import Testing
@testable import FacteurIMAPCore

struct ListPatternTests {
    @Test(arguments: [
        ("", "*", "Archive/2023", true), ("", "%", "Archive/2023", false), ("", "%", "Archive", true),
        ("", "Archive/%", "Archive/2023", true), ("", "A%e", "Archive", true), ("", "A%e", "Arch/ive", false),
        ("Archive/", "%", "Archive/2023", true), ("", "inbox", "INBOX", true), ("", "INBOX/*", "INBOX/x", true),
        ("", "*3", "Archive/2023", true), ("", "x*y*z", "xaybz", true), ("", "x*y*z", "xaybzq", false),
        ("", "", "Archive", false), ("", "Sent", "sent", false),
    ])
    func matches(_ reference: String, _ pattern: String, _ name: String, _ expected: Bool) {
        #expect(ListPattern(reference: reference, pattern: pattern).matches(IMAPMailboxName(wire: name)) == expected)
    }

    @Test func longPatternsStayCheap() {
        let pattern = String(repeating: "*a", count: 500)
        let name = IMAPMailboxName(wire: String(repeating: "a", count: 1000) + "b")
        #expect(!ListPattern(reference: "", pattern: pattern).matches(name))
    }
}
