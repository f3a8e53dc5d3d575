import Foundation
@testable import FacteurMIME

extension Array where Element == UInt8 {
    var text: String { String(decoding: self, as: UTF8.self) }
}

enum Fixtures {
    static let mimeDirectory = URL(fileURLWithPath: "/work/shared/testdata/mime")

    /// A shared MIME fixture with its line ends converted to CRLF, as the server sends it.
    static func mime(_ name: String) throws -> [UInt8] {
        let data = try Data(contentsOf: mimeDirectory.appendingPathComponent(name))
        return LineEndings.crlf(Array(data))
    }
}
