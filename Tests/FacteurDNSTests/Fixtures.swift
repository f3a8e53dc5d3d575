/// Helpers to write DNS wire fixtures by hand.
enum Wire {
    /// A name in uncompressed wire form.
    static func name(_ labels: String...) -> [UInt8] {
        labels.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0]
    }

    static func u16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    static func u32(_ value: UInt32) -> [UInt8] { u16(UInt16(value >> 16)) + u16(UInt16(value & 0xFFFF)) }

    static func header(id: UInt16 = 0x1234, flags: UInt16 = 0x8180, qd: UInt16 = 1, an: UInt16 = 0,
                       ns: UInt16 = 0, ar: UInt16 = 0) -> [UInt8] {
        u16(id) + u16(flags) + u16(qd) + u16(an) + u16(ns) + u16(ar)
    }

    /// A response to `example.com MX` with two compressed MX answers, as a real server sends it.
    /// Offsets: header 0–11, question name 12–24, answers from 29.
    static let compressedMXResponse: [UInt8] =
        header(an: 2)
        + name("example", "com") + u16(15) + u16(1)
        + [0xC0, 0x0C] + u16(15) + u16(1) + u32(3600) + u16(9) + u16(10) + [4] + Array("mail".utf8) + [0xC0, 0x0C]
        + [0xC0, 0x0C] + u16(15) + u16(1) + u32(3600) + u16(11) + u16(20) + [6] + Array("backup".utf8) + [0xC0, 0x0C]
}

/// A deterministic generator for fuzz-style tests (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
