import FacteurTestSupport
import Testing
@testable import FacteurCollect

@Suite struct CollectionClientRobustnessTests {
    @Test func garbageFromTheServerNeverTraps() {
        var random = SeededRandom(seed: 5)
        var closedRuns = 0
        for _ in 0..<200 {
            var popClosed = false, imapClosed = false
            var pop = POP3Client(configuration: POP3ClientConfiguration(user: "u", password: "p", security: .none,
                                                                         limits: CollectionClientLimits(messageSize: 1000, responseLineLength: 100)))
            var imap = IMAPCollectionClient(configuration: IMAPClientConfiguration(user: "u", password: "p", security: .none,
                                                                                 limits: CollectionClientLimits(messageSize: 1000, responseLineLength: 100)))
            let prefixes = ["+OK\r\n", "* OK\r\n", "+OK\r\n+OK\r\n.\r\n", "* 1 FETCH (BODY[] {3}\r\n", "C1 OK\r\n"]
            for _ in 0..<20 {
                var bytes = prefixes.randomElement(using: &random)!.bytes
                bytes += (0..<Int.random(in: 0...200, using: &random)).map { _ in
                    [UInt8(ascii: "{"), UInt8(ascii: "}"), 0x0D, 0x0A, UInt8(ascii: "("), UInt8(ascii: "\""),
                     UInt8(ascii: "1"), UInt8(ascii: " "), UInt8(ascii: "*"), UInt8.random(in: 0...255, using: &random)]
                        .randomElement(using: &random)!
                }
                // Invariant: after `.close` a client never asks for anything again.
                let popEvents = pop.receive(bytes)
                let imapEvents = imap.receive(bytes)
                #expect(!(popClosed && !popEvents.isEmpty))
                #expect(!(imapClosed && !imapEvents.isEmpty))
                popClosed = popClosed || popEvents.contains(.close)
                imapClosed = imapClosed || imapEvents.contains(.close)
                #expect(popEvents.firstIndex(of: .close).map { $0 == popEvents.count - 1 } ?? true)
                #expect(imapEvents.firstIndex(of: .close).map { $0 == imapEvents.count - 1 } ?? true)
                if pop.isReady { _ = try? pop.request(.retrieve(1)) }
                if imap.isReady { _ = try? imap.request(.fetch(uid: 1)) }
            }
            closedRuns += (popClosed ? 1 : 0) + (imapClosed ? 1 : 0)
        }
        // Garbage is refused, not silently absorbed.
        #expect(closedRuns > 300)
    }

    /// A 2 MB message of short lines, received in 64 KiB reads, is assembled in linear time.
    @Test func largeMessageIsAssembledInPlace() {
        var client = POP3Client(configuration: POP3ClientConfiguration(user: "u", password: "p", security: .none))
        _ = client.receive("+OK\r\n-ERR\r\n+OK\r\n+OK\r\n".bytes)
        _ = try? client.request(.retrieve(1))
        let line = Array(repeating: UInt8(ascii: "x"), count: 78) + [0x0D, 0x0A]
        var wire = "+OK\r\n".bytes
        for _ in 0..<25_000 { wire += line }
        wire += ".\r\n".bytes
        var events: [POP3ClientEvent] = []
        var index = 0
        while index < wire.count {
            let end = min(wire.count, index + 65_536)
            events += client.receive(Array(wire[index..<end]))
            index = end
        }
        guard case .message(1, let content)? = events.last else { Issue.record("no message: \(events.count)"); return }
        #expect(content.count == 2_000_000)
    }

    /// A 2 MB literal arriving in 64 KiB reads is framed without rescanning or copying per read.
    @Test func largeLiteralIsFramedInLinearTime() {
        var client = IMAPCollectionClient(configuration: IMAPClientConfiguration(user: "u", password: "p", security: .none))
        _ = client.receive("* PREAUTH\r\nC1 OK\r\n".bytes)
        _ = try? client.request(.fetch(uid: 5))
        let body = [UInt8](repeating: UInt8(ascii: "y"), count: 2_000_000)
        let wire = "* 1 FETCH (UID 5 BODY[] {2000000}\r\n".bytes + body + ")\r\nC2 OK\r\n".bytes
        var events: [IMAPClientEvent] = []
        var index = 0
        while index < wire.count {
            let end = min(wire.count, index + 65_536)
            events += client.receive(Array(wire[index..<end]))
            index = end
        }
        #expect(events == [.message(uid: 5, internalDate: nil, content: body)])
    }
}
