import Foundation
@testable import FacteurIMAPCore
import FacteurMIME

/// Deterministic generator for random-split tests (SplitMix64), so a failure reproduces.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Array where Element == UInt8 {
    init(_ text: String) { self = Array(text.utf8) }
    var text: String { String(decoding: self, as: UTF8.self) }
}

enum Fixtures {
    static let mimeDirectory = URL(fileURLWithPath: "/work/shared/testdata/mime")

    /// A shared MIME fixture with its line ends converted to CRLF, as the server sends it.
    static func mime(_ name: String) throws -> [UInt8] {
        let data = try Data(contentsOf: mimeDirectory.appendingPathComponent(name))
        return LineEndings.crlf(Array(data))
    }

    static func allMIMENames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: mimeDirectory.path).filter { $0.hasSuffix(".txt") }.sorted()
    }
}

/// Encodes a value with an `IMAPWriter` closure and returns the text.
func written(_ body: (inout IMAPWriter) -> Void) -> String {
    var writer = IMAPWriter()
    body(&writer)
    return writer.bytes.text
}
