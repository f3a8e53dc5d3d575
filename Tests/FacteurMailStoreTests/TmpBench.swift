import Foundation
import Testing
@testable import FacteurMailStore
@Test func tmpBench() throws {
    let d = NSTemporaryDirectory() + "mb-" + UUID().uuidString
    let r = try MailStoreBenchmark.run(messages: 20_000, directory: d)
    print(r)
    try? FileManager.default.removeItem(atPath: d)
}
