import FacteurCore
import Foundation
import Testing

@Suite struct ControlFrameTests {
    func frames(_ bytes: [UInt8], splits: [Int], limit: Int = 1 << 20) throws -> [[UInt8]] {
        var d = ControlFrame.Decoder(limit: limit)
        var out: [[UInt8]] = []
        var i = 0
        for s in splits + [bytes.count] where i < bytes.count {
            let end = min(bytes.count, i + s)
            d.append(bytes[i..<end])
            i = end
            while let f = try d.next() { out.append(f) }
        }
        #expect(d.buffered == 0)
        return out
    }

    @Test func lengthPrefixIsFourBytesBigEndian() {
        #expect(ControlFrame.encode([0x41, 0x42]) == [0, 0, 0, 2, 0x41, 0x42])
        #expect(Array(ControlFrame.encode([UInt8](repeating: 7, count: 0x01_02_03)).prefix(4)) == [0, 1, 2, 3])
        #expect(ControlFrame.encode([]) == [0, 0, 0, 0])
    }

    @Test func framesComeOutWholeWhateverTheSplits() throws {
        let payloads: [[UInt8]] = [Array("one".utf8), [], Array(repeating: 10, count: 5000), Array("{\"x\":\"a\\nb\"}".utf8)]
        let stream = payloads.flatMap(ControlFrame.encode)
        #expect(try frames(stream, splits: [stream.count]) == payloads)
        #expect(try frames(stream, splits: Array(repeating: 1, count: stream.count)) == payloads)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let splits = (0..<20).map { _ in Int.random(in: 1...700, using: &rng) }
            #expect(try frames(stream, splits: splits) == payloads)
        }
    }

    @Test func anIncompleteFrameWaitsAndConsumesNothing() throws {
        var d = ControlFrame.Decoder(limit: 100)
        d.append([0, 0, 0, 5, 1, 2])
        #expect(try d.next() == nil)
        #expect(d.buffered == 6)
        d.append([3, 4, 5])
        #expect(try d.next() == [1, 2, 3, 4, 5])
    }

    @Test func aFrameOverTheLimitIsRefusedBeforeItsBodyArrives() {
        var d = ControlFrame.Decoder(limit: 1024)
        d.append([0, 0, 4, 1]) // 1025
        #expect(throws: ControlFrameError.tooLarge(length: 1025, limit: 1024)) { try d.next() }
        var big = ControlFrame.Decoder(limit: ControlLimits.clientFrameBytes)
        big.append([0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: ControlFrameError.self) { try big.next() }
    }
}

@Suite struct ControlMessageTests {
    func roundTrip<T: Codable>(_ value: T) throws -> T {
        var d = ControlFrame.Decoder(limit: ControlLimits.serverFrameBytes)
        d.append(try ControlCodec.frame(value))
        let payload = try #require(try d.next())
        return try ControlCodec.decode(T.self, from: payload)
    }

    @Test func commandsRoundTrip() throws {
        let commands: [ControlCommand] = [
            .status, .watch, .ban(network: "192.0.2.7", duration: 3600, permanent: false, reason: "spam"),
            .ban(network: "2001:db8::/48", duration: nil, permanent: true, reason: nil), .unban(network: "192.0.2.7"),
            .kick(connection: 42), .message(user: "a@example.test", folder: "INBOX", id: "1.2.host"),
            .addUser(address: "b@example.test", password: "pässwörd\n\"x\""), .checklist(rerun: true), .shutdown,
        ]
        for (i, c) in commands.enumerated() {
            #expect(try roundTrip(ClientMessage.request(id: UInt64(i), command: c)) == .request(id: UInt64(i), command: c))
        }
    }

    @Test func passwordsNeverReachTheLog() {
        #expect(!ControlCommand.addUser(address: "a@x", password: "hunter2").logDescription.contains("hunter2"))
        #expect(!ControlCommand.setPassword(user: "a@x", password: "hunter2").logDescription.contains("hunter2"))
    }

    @Test func everyEventKindTravelsAsItIs() throws {
        let t = Date(timeIntervalSince1970: 1_800_000_000.25)
        let info = ConnectionInfo(id: ConnectionID(9), service: .smtp, remoteAddress: "127.0.0.5", remotePort: 4000,
                                  localAddress: "127.0.0.1:25", tls: false, opened: t)
        let ban = BanInfo(network: "127.0.0.5/32", rule: "relay", reason: "1 relay attempt", evidence: ["RCPT TO:<v@gmail.com>"],
                          source: .automatic, created: t, expires: nil, hits: 3)
        let kinds: [ServerEvent.Kind] = [
            .listenerStarted(service: .imap, address: "127.0.0.1:143", tls: true),
            .connectionOpened(info),
            .connectionUpdated(id: ConnectionID(9), user: nil, state: "DATA", bytesIn: 10, bytesOut: 20),
            .rejected(Rejection(connection: ConnectionID(9), service: .smtp, remoteAddress: "127.0.0.5", rule: "relay", reason: "no relay", recipient: "v@gmail.com")),
            .delivered(Delivery(connection: nil, remoteAddress: "127.0.0.5", sender: "", recipients: ["a@example.test"], size: 10, subject: "Grüße")),
            .banned(ban), .unbanned(network: "127.0.0.5/32", why: "manual"), .log(level: .warning, message: "line\nwith\u{0}bytes"),
        ]
        let events = kinds.map { ServerEvent(time: t, kind: $0) }
        let back = try roundTrip(ServerMessage.events(events))
        guard case let .events(decoded) = back else { Issue.record("not events"); return }
        #expect(decoded.count == events.count)
        #expect(decoded.map(\.time) == events.map(\.time))
        // Same text out as in: compare the encodings, keys sorted.
        func canonical(_ e: [ServerEvent]) throws -> String {
            let enc = JSONEncoder()
            enc.outputFormatting = .sortedKeys
            return String(decoding: try enc.encode(e), as: UTF8.self)
        }
        #expect(try canonical(decoded) == canonical(events))
    }

    @Test func aSnapshotCarriesTheActivity() throws {
        var activity = ServerActivity(startTime: Date(timeIntervalSince1970: 1_700_000_000))
        let info = ConnectionInfo(id: ConnectionID(1), service: .imap, remoteAddress: "192.0.2.1", remotePort: 1, localAddress: "x", tls: true, opened: Date(timeIntervalSince1970: 1_700_000_100))
        activity.apply(ServerEvent(time: info.opened, kind: .connectionOpened(info)))
        activity.apply(ServerEvent(time: info.opened, kind: .rejected(Rejection(connection: nil, service: .smtp, remoteAddress: "192.0.2.2", rule: "relay", reason: "r"))))
        let snap = ControlSnapshot(activity: activity, listeners: [ListenerStatus(service: .smtp, address: "0.0.0.0:25", tls: false)], recentEvents: [], checklist: nil)
        guard case let .snapshot(back) = try roundTrip(ServerMessage.snapshot(snap)) else { Issue.record("not a snapshot"); return }
        #expect(back.activity.connections[ConnectionID(1)]?.info == info)
        #expect(back.activity.counters == activity.counters)
        #expect(back.activity.rejections == activity.rejections)
        #expect(back.activity.history == activity.history)
        #expect(back.listeners == snap.listeners)
    }

    @Test func theHelloVersionIsReadableWhateverElseChanges() throws {
        let v1 = try ControlCodec.payload(ServerMessage.hello(ServerHello(pid: 12, started: Date(), serverVersion: "0.1.0", showBodies: true)))
        #expect(ControlCodec.helloVersion(from: v1)?.version == ControlProtocol.version)
        // A future hello with other fields: the version still reads.
        let v9 = Array(#"{"hello":{"_0":{"protocol":"facteur-control","version":9,"colour":"blue"}}}"#.utf8)
        #expect(ControlCodec.helloVersion(from: v9)?.version == 9)
        #expect(ControlCodec.helloVersion(from: Array("garbage".utf8)) == nil)
        #expect(throws: ControlCodec.Malformed.self) { try ControlCodec.decode(ServerMessage.self, from: v9) }
    }
}
