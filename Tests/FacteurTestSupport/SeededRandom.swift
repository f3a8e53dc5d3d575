/// Deterministic generator for random-split tests (SplitMix64): a failure is reproducible.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Splits bytes into chunks at random points (including empty chunks and single bytes).
public func randomSplits(_ bytes: [UInt8], using random: inout SeededRandom) -> [[UInt8]] {
    var chunks: [[UInt8]] = []
    var index = 0
    while index < bytes.count {
        let length = Int.random(in: 0...min(bytes.count - index, 7), using: &random)
        chunks.append(Array(bytes[index..<(index + length)]))
        index += length
    }
    return chunks
}

extension String {
    public var bytes: [UInt8] { Array(utf8) }
}

extension Array where Element == UInt8 {
    public var text: String { String(decoding: self, as: UTF8.self) }
}
