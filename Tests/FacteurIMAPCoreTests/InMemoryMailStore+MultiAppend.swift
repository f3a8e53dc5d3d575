import Foundation
@testable import FacteurIMAPCore

extension InMemoryMailStore {
    /// All or none: the actor runs the appends without suspending, and the only failure (a
    /// missing mailbox) comes from the first.
    func appendAll(_ mailbox: IMAPMailboxName, messages: [IMAPAppendMessage]) async throws -> [IMAPAppendResult] {
        var results: [IMAPAppendResult] = []
        for message in messages {
            results.append(try await append(mailbox, message: message.message, flags: message.flags, internalDate: message.internalDate))
        }
        return results
    }
}

extension InMemoryMailStore {
    func create(_ name: IMAPMailboxName, specialUse use: String) async throws {
        try await create(name)
        boxes[name.wire]?.attributes.append(use)
    }
}
