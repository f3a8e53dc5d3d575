import FacteurCore
@testable import FacteurServer
import Foundation
import NIOCore
import NIOEmbedded
import Testing

/// The accept-time refusal on an `EmbeddedChannel`: the line of each protocol, written once,
/// input dropped, then the channel closed.
struct RefusalHandlerTests {
    static let refusal = GateRefusal(rule: "manual", reason: "flooding", until: Date(timeIntervalSince1970: 1_800_000_000))

    @Test func eachProtocolHasItsLine() {
        #expect(ConnectRefusal.text(.smtp, Self.refusal) == "554 5.7.1 Access denied: flooding (until Fri, 15 Jan 2027 08:00:00 +0000)\r\n")
        #expect(ConnectRefusal.text(.imap, Self.refusal) == "* BYE Access denied: flooding (until Fri, 15 Jan 2027 08:00:00 +0000)\r\n")
        #expect(ConnectRefusal.text(.pop3, Self.refusal) == "-ERR Access denied: flooding (until Fri, 15 Jan 2027 08:00:00 +0000)\r\n")
        #expect(ConnectRefusal.text(.pop3, GateRefusal(rule: "deny", reason: "denied network", until: nil)) == "-ERR Access denied: denied network\r\n")
    }

    @Test func repliesAreEncodedOncePerRefusal() {
        let replies = RefusalReplies()
        let a = replies.bytes(.smtp, Self.refusal)
        #expect(String(buffer: a) == ConnectRefusal.text(.smtp, Self.refusal))
        #expect(String(buffer: replies.bytes(.imap, Self.refusal)).hasPrefix("* BYE"))
        var longer = Self.refusal
        longer.until = Self.refusal.until?.addingTimeInterval(3600)
        #expect(String(buffer: replies.bytes(.smtp, longer)).contains("09:00:00"))
        #expect(replies.bytes(.smtp, Self.refusal) == a)
    }

    @Test(arguments: [false, true])
    func writesTheLineThenCloses(addedWhenActive: Bool) throws {
        let channel = EmbeddedChannel()
        let line = ByteBuffer(string: ConnectRefusal.text(.pop3, Self.refusal))
        if addedWhenActive {
            // After a PROXY header: the channel is already active when the handler is added.
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 110)).wait()
            try channel.pipeline.syncOperations.addHandler(RefusalHandler(reply: line))
        } else {
            try channel.pipeline.syncOperations.addHandler(RefusalHandler(reply: line))
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 110)).wait()
        }
        _ = try? channel.writeInbound(ByteBuffer(string: "USER alice\r\n"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == line)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        #expect(!channel.isActive)
    }
}
