import Foundation

/// One message for `IMAPMailStore.appendAll`.
public struct IMAPAppendMessage: Hashable, Sendable {
    public var message: [UInt8]
    public var flags: Set<Flag>
    public var internalDate: Date

    public init(message: [UInt8], flags: Set<Flag>, internalDate: Date) {
        self.message = message; self.flags = flags; self.internalDate = internalDate
    }
}

/// MULTIAPPEND (RFC 3502 §6.3.11): all messages are checked, then stored in one step by the
/// store; APPENDUID carries the UID set (RFC 4315 §3).
extension IMAPSession {
    mutating func multiAppend(_ append: MultiAppendCommand, tag: String, login: Login, mailbox: inout SelectedMailbox?,
                              into output: inout SessionOutput) async throws {
        var messages: [IMAPAppendMessage] = []
        for message in append.messages {
            guard !message.message.isEmpty else { throw IMAPStoreError.refused("Empty message") }
            messages.append(IMAPAppendMessage(message: BinaryContentStorage.storable(message.message),
                                              flags: Set(message.flags).subtracting([.recent]),
                                              internalDate: message.internalDate?.date ?? now()))
        }
        let results = try await login.store.appendAll(append.mailbox, messages: messages)
        if var selected = mailbox, selected.name == append.mailbox {
            await synchronize(&selected, login: login, into: &output)
            mailbox = selected
        }
        let validity = results.first?.uidValidity ?? 0
        output.tagged(tag, .ok, .appendUID(uidValidity: validity, uids: SequenceSet(numbers: results.map(\.uid))), "APPEND completed")
    }
}
