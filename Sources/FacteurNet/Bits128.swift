/// Bit helpers over a 128-bit key held as two UInt64 words (high word first). Kept apart from
/// `UInt128` because that type needs macOS 15.
public enum Bits128 {
    /// The mask keeping the first `length` bits (0...128) of the high and low words.
    @inlinable @inline(__always)
    public static func mask(_ length: Int) -> (UInt64, UInt64) {
        let high: UInt64 = length >= 64 ? .max : (length <= 0 ? 0 : .max << UInt64(64 - length))
        let low: UInt64 = length <= 64 ? 0 : (length >= 128 ? .max : .max << UInt64(128 - length))
        return (high, low)
    }

    /// The bit at `position` (0 is the most significant bit of `high`), 0 or 1.
    @inlinable @inline(__always)
    public static func bit(_ high: UInt64, _ low: UInt64, at position: Int) -> Int {
        position < 64
            ? Int(truncatingIfNeeded: (high >> UInt64(63 - position)) & 1)
            : Int(truncatingIfNeeded: (low >> UInt64(127 - position)) & 1)
    }

    /// How many leading bits two keys share, at most `limit`.
    @inlinable @inline(__always)
    public static func commonPrefix(_ aHigh: UInt64, _ aLow: UInt64, _ bHigh: UInt64, _ bLow: UInt64, limit: Int) -> Int {
        let highDiff = aHigh ^ bHigh
        let common = highDiff != 0 ? highDiff.leadingZeroBitCount : 64 + (aLow ^ bLow).leadingZeroBitCount
        return min(common, limit)
    }
}
