import Foundation
import Testing
@testable import FacteurCollect

@Suite struct IMAPInternalDateTests {
    @Test(arguments: [
        ("17-Jul-1996 02:44:25 -0700", 837_596_665.0),
        (" 1-Jan-1970 00:00:00 +0000", 0),
        ("1-Jan-1970 01:00:00 +0100", 0),
        ("29-Feb-2024 12:00:00 +0000", 1_709_208_000),
        ("31-Dec-1999 23:59:59 -0000", 946_684_799),
    ])
    func valid(text: String, epoch: Double) {
        #expect(IMAPInternalDate.parse(text)?.timeIntervalSince1970 == epoch)
    }

    @Test(arguments: ["29-Feb-2023 12:00:00 +0000", "17-Jly-1996 02:44:25 -0700", "17-Jul-1996 24:00:00 +0000",
                      "17-Jul-1996 02:44:25", "17-Jul-96 02:44:25 -0700", "", "32-Jan-2000 00:00:00 +0000",
                      "17-Jul-1996 02:44:25 0700"])
    func invalid(text: String) {
        #expect(IMAPInternalDate.parse(text) == nil)
    }
}
