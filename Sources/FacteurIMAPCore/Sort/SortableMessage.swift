import Foundation
import FacteurMIME

/// One message as SORT and THREAD see it: its place in the mailbox, what the message table
/// holds (INTERNALDATE, size) and the header keys the index holds (`MessageSortFields`).
public struct SortableMessage: Sendable {
    /// The number the answer carries: the sequence number, or the UID for UID SORT / UID THREAD.
    public var number: UInt32
    /// The sequence number: the last tie-break (RFC 5256 §3: "the order in the mailbox").
    public var sequence: UInt32
    /// INTERNALDATE in seconds since 1970 (ARRIVAL).
    public var internalDate: Double
    public var size: Int
    public var fields: MessageSortFields

    public init(number: UInt32, sequence: UInt32, internalDate: Double, size: Int, fields: MessageSortFields) {
        self.number = number; self.sequence = sequence; self.internalDate = internalDate; self.size = size; self.fields = fields
    }

    /// The sent date (RFC 5256 §2.2): the Date: header, else the INTERNALDATE.
    public var sentDate: Double { fields.sentDate?.timeIntervalSince1970 ?? internalDate }
}

/// Compares two strings by their UTF-8 octets: sort keys are already casemapped
/// (i;unicode-casemap compares the octets of the mapped strings, RFC 5051 §2).
@inline(__always)
func utf8Order(_ a: String, _ b: String) -> Int {
    let fast = a.utf8.withContiguousStorageIfAvailable { x in
        b.utf8.withContiguousStorageIfAvailable { y -> Int in
            let common = min(x.count, y.count)
            if common > 0, let xp = x.baseAddress, let yp = y.baseAddress {
                let result = memcmp(xp, yp, common)
                if result != 0 { return result < 0 ? -1 : 1 }
            }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        }
    }
    if let fast, let result = fast { return result }
    if a.utf8.elementsEqual(b.utf8) { return 0 }
    return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
}
