import Testing
@testable import FacteurIMAPCore

struct SequenceSetTests {
    @Test(arguments: [
        ("1", "1"), ("1:3", "1:3"), ("3:1", "3:1"), ("1,3:5,*", "1,3:5,*"), ("5:*", "5:*"), ("*:4", "*:4"),
    ])
    func parsesAndEncodes(_ input: String, _ encoded: String) throws {
        #expect(try SequenceSet(parsing: input).description == encoded)
    }

    @Test(arguments: ["", "0", "1:", ":2", "1,,2", "a", "1:0", "4294967296", "1 2"])
    func refuses(_ input: String) {
        #expect(throws: IMAPParseError.self) { try SequenceSet(parsing: input) }
    }

    @Test func resolvesStarAndOrder() throws {
        let set = try SequenceSet(parsing: "7:*,2,1,3:2")
        #expect(set.resolved(max: 10) == [1...3, 7...10])
        #expect(set.numbers(upTo: 10) == [1, 2, 3, 7, 8, 9, 10])
        #expect(set.numbers(upTo: 0) == [])
        #expect(set.contains(8, max: 10))
        #expect(!set.contains(5, max: 10))
    }

    /// RFC 3501 §6.4.8: `559:*` includes the highest UID even when 559 is above it.
    @Test func uidRangeAboveMaxStillIncludesMax() throws {
        let set = try SequenceSet(parsing: "559:*")
        #expect(set.matching([10, 20, 30]) == [30])
        #expect(set.matching([]) == [])
    }

    @Test func matchesUIDsWithoutEnumeratingTheRange() throws {
        let set = try SequenceSet(parsing: "1:4294967295")
        #expect(set.matching([5, 4_000_000_000]) == [5, 4_000_000_000])
        let sparse = try SequenceSet(parsing: "2,10:20,40")
        #expect(sparse.matching([1, 2, 3, 10, 15, 21, 40, 41]) == [2, 10, 15, 40])
    }

    @Test func bigSequenceNumbersAreClampedToTheMailbox() throws {
        #expect(try SequenceSet(parsing: "1:4294967295").numbers(upTo: 3) == [1, 2, 3])
        #expect(try !SequenceSet(parsing: "1:5").isWithin(max: 4))
        #expect(try SequenceSet(parsing: "1:*").isWithin(max: 4))
    }

    @Test func compressesNumbers() {
        #expect(SequenceSet(numbers: [5, 1, 2, 3, 9, 10, 3]).description == "1:3,5,9:10")
        #expect(SequenceSet(numbers: [UInt32]()).description == "")
        #expect(SequenceSet(numbers: [UInt32.max, 1]).description == "1,4294967295")
    }
}
