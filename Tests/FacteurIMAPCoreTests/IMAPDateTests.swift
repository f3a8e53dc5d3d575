import Foundation
import Testing
@testable import FacteurIMAPCore

struct IMAPDateTests {
    @Test func dateTimeRoundTrip() throws {
        var reader = IMAPReader(Array("\"17-Jul-1996 02:44:25 -0700\"".utf8))
        let value = try reader.dateTime()
        #expect(value.zoneMinutes == -420)
        #expect(value.date == Date(timeIntervalSince1970: 837_596_665))
        #expect(value.description == "17-Jul-1996 02:44:25 -0700")
        let padded = IMAPDateTime(date: Date(timeIntervalSince1970: 0), zoneMinutes: 90)
        #expect(padded.description == " 1-Jan-1970 01:30:00 +0130")
    }

    @Test(arguments: ["\"1-Jan-2020 00:00:00 +0000\"", "\" 1-Jan-2020 00:00:00 +0000\"", "\"01-Jan-2020 00:00:00 +0000\""])
    func acceptsDayForms(_ text: String) throws {
        var reader = IMAPReader(Array(text.utf8))
        #expect(try reader.dateTime().date == Date(timeIntervalSince1970: 1_577_836_800))
    }

    @Test(arguments: ["\"1-Foo-2020 00:00:00 +0000\"", "\"1-Jan-2020 24:00:00 +0000\"", "\"1-Jan-2020 00:00:00 +000\"",
                      "1-Jan-2020 00:00:00 +0000", "\"29-Feb-2023 00:00:00 +0000\""])
    func refusesDateTimes(_ text: String) {
        var reader = IMAPReader(Array(text.utf8))
        #expect(throws: IMAPParseError.self) { try reader.dateTime() }
    }

    @Test func dayOrderAndLeapYears() {
        #expect(IMAPDate(year: 2024, month: 2, day: 29) != nil)
        #expect(IMAPDate(year: 2100, month: 2, day: 29) == nil)
        #expect(IMAPDate(year: 2000, month: 2, day: 29) != nil)
        #expect(IMAPDate(year: 2024, month: 1, day: 31)! < IMAPDate(year: 2024, month: 2, day: 1)!)
        #expect(IMAPDate(year: 2024, month: 2, day: 1)!.description == "1-Feb-2024")
    }

    @Test func dayOfAnInstantDependsOnTheZone() throws {
        let instant = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14 22:13:20 UTC
        #expect(IMAPDate(instant, timeZone: try #require(TimeZone(secondsFromGMT: 0))) == IMAPDate(year: 2023, month: 11, day: 14))
        #expect(IMAPDate(instant, timeZone: try #require(TimeZone(secondsFromGMT: 3 * 3600))) == IMAPDate(year: 2023, month: 11, day: 15))
    }
}
