import FacteurServer
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A full disk (issue #12, finding 4), on a 2 MiB tmpfs holding the data folder: mail is
/// refused with 451 and nothing is lost, reading mail still works, a flag change gets a clean
/// NO, a ban made while full is enforced and saved as soon as there is room, and the server
/// says the disk is full. Needs root to mount the tmpfs; skipped otherwise.
@Suite(.serialized)
struct DiskFullEndToEndTests {
    /// Whether this process may mount a tmpfs (root in a namespace that allows it).
    static let canMount: Bool = {
        let dir = NSTemporaryDirectory() + "facteur-mount-probe-" + UUID().uuidString.prefix(8)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard (try? TestProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]))?.status == 0 else { return false }
        _ = try? TestProcess.run("/bin/umount", [dir])
        return true
    }()

    @Test(.enabled(if: canMount, "needs permission to mount a tmpfs (run as root)"))
    func fullDiskRefusesMailButStillReadsAndKeepsBans() throws {
        let s = try TestServer()
        let data = s.dir + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        #expect(try TestProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", data]).status == 0)
        defer {
            s.stop()
            _ = try? TestProcess.run("/bin/umount", ["-l", data])
        }
        try s.addUser("alice@example.test")
        try s.start(expect: ["SMTP", "IMAP"])
        _ = try scenario(from: "127.0.0.1", "deliver", s, "alice@example.test")
        #expect(s.messages("alice@example.test").count == 1)

        // The user has read the mailbox before (its index is current).
        let before = try guardScenario("imap_read", s, ["port": s.ports["IMAP"] ?? 0, "user": "alice@example.test",
                                                         "password": "secret", "fetch": false])
        #expect((before["select"] as? [Any])?.last as? [String] == ["1"], "\(before)")

        // Fill the disk.
        let filler = data + "/filler"
        _ = try TestProcess.run("/bin/dd", ["if=/dev/zero", "of=\(filler)", "bs=64k"])
        let deadline = Date().addingTimeInterval(10)
        while !s.log.contains("disk full:") && Date() < deadline { usleep(100_000) }
        #expect(s.log.contains("disk full:"), "\(s.log)")
        // The control interface (what the console asks) says so too.
        let control = try ControlConnection(path: data + "/control.sock", client: "test")
        defer { control.close() }
        let status = control.requestBlocking(.status)
        #expect(status.message.contains("disk full"), "\(status.message)")

        // Delivery: a temporary failure, nothing half-stored.
        let d = try guardScenario("fill_then_deliver", s, ["port": s.smtpPort, "idle": 0, "client": "127.0.0.1",
                                                            "rcpt": "alice@example.test"])
        #expect((d["replies"] as? [String])?.last?.hasPrefix("451") == true, "\(d)")
        #expect(s.messages("alice@example.test").count == 1)

        // Reading works; a flag change is refused cleanly.
        let r = try guardScenario("imap_read", s, ["port": s.ports["IMAP"] ?? 0, "user": "alice@example.test", "password": "secret"])
        #expect((r["select"] as? [Any])?.first as? String == "OK", "\(r)\n\(s.log)")
        #expect((r["fetch"] as? [Any])?.first as? String == "OK", "\(r)")
        #expect(((r["fetch"] as? [Any])?.last as? [String])?.joined().contains("Hello from smtplib") == true, "\(r)")
        let store = (r["store"] as? [Any]).map { "\($0)" } ?? ""
        #expect(store.contains("OVERQUOTA") && !store.contains("SERVERBUG"), "\(r)")

        // A ban made while full is enforced at once, and saved once there is room.
        #expect(try s.cli(["ban", "127.0.0.77", "--reason", "while full"]).status == 0)
        #expect(try greeting(from: "127.0.0.77", s).hasPrefix("554"))
        try FileManager.default.removeItem(atPath: filler)
        let saved = Date().addingTimeInterval(15)
        while !s.log.contains("ban of 127.0.0.77/32 saved") && Date() < saved { usleep(200_000) }
        #expect(s.log.contains("cannot save ban of 127.0.0.77"), "\(s.log)")
        #expect(s.log.contains("ban of 127.0.0.77/32 saved"), "\(s.log)")
        s.stop()
        try s.start(expect: ["SMTP", "IMAP"])
        #expect(try greeting(from: "127.0.0.77", s).hasPrefix("554"))
    }
}
