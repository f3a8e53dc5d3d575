import Foundation
import Testing
@testable import FacteurPOP3Core

@Suite struct MessageInfoTests {
    @Test(arguments: [
        ("1700000000.M1P2.host", true),
        ("whqtswO00WBw418f9t5JxYwZ", true),
        (String(repeating: "x", count: 70), true),
        (String(repeating: "x", count: 71), false),
        ("", false),
        ("has space", false),
        ("ünïcode", false),
        ("tab\there", false),
    ])
    func uidValidity(uid: String, valid: Bool) {
        #expect(MessageInfo.isValidUID(uid) == valid)
    }

    @Test func codable() throws {
        let info = MessageInfo(index: 3, uid: "u3", size: 1234)
        #expect(try JSONDecoder().decode(MessageInfo.self, from: JSONEncoder().encode(info)) == info)
    }
}
