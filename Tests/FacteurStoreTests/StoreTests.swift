import FacteurCore
import Foundation
import Testing
@testable import FacteurStore

struct PasswordHasherTests {
    @Test func yescryptRoundTrip() throws {
        let h = try PasswordHasher.hash("correct horse")
        #expect(h.hasPrefix("$y$"))
        #expect(PasswordHasher.verify("correct horse", hash: h))
        #expect(!PasswordHasher.verify("wrong horse", hash: h))
        #expect(!PasswordHasher.verify("correct horse", hash: "not a hash"))
        // Salted: the same password hashes differently twice.
        #expect(try PasswordHasher.hash("correct horse") != h)
    }
}

struct LocalAddressTests {
    @Test(arguments: ["../x@a.test", "a/b@a.test", ".x@a.test", "x.@a.test", "a..b@a.test", "x@b.test", "x", "x@a.test@a.test", "é@a.test", "@a.test"])
    func refused(_ text: String) {
        #expect(throws: LocalAddress.Invalid.self) { try LocalAddress.validate(text, domains: ["a.test"]) }
    }

    @Test func acceptedAndLowercased() throws {
        let r = try LocalAddress.validate("Jean-Luc.Picard+x@A.TEST", domains: ["a.test"])
        #expect(r.local == "jean-luc.picard+x")
        #expect(r.domain == "a.test")
    }
}

struct MaildirDeliveryTests {
    func tempRoot() -> String {
        NSTemporaryDirectory() + "facteur-md-" + UUID().uuidString.prefix(8)
    }

    @Test func deliversOnceLinkedToEveryOwner() throws {
        let root = tempRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let d = MaildirDelivery(mailRoot: root, hostname: "mx:1/x")
        let spool = try d.open(owners: ["a@x.test", "b@x.test"])
        try spool.write(Array("Subject: t\r\n\r\nbody\r\n".utf8))
        // Not visible before commit.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/x.test/a/new").isEmpty)
        let paths = try spool.commit()
        #expect(paths.count == 2)
        for p in paths {
            #expect(p.contains("/new/"))
            #expect(p.hasSuffix(",S=\(spool.size)"))
            #expect(!p.split(separator: "/").last!.contains(":"))
            #expect(try String(contentsOfFile: p, encoding: .utf8) == "Subject: t\r\n\r\nbody\r\n")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/x.test/a/tmp").isEmpty)
    }

    @Test func abortLeavesNothing() throws {
        let root = tempRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let d = MaildirDelivery(mailRoot: root, hostname: "mx")
        let spool = try d.open(owners: ["a@x.test"])
        try spool.write([1, 2, 3])
        spool.abort()
        for sub in ["tmp", "new", "cur"] {
            #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/x.test/a/" + sub).isEmpty)
        }
    }

    @Test func unwritableMaildirFailsCleanly() throws {
        guard getuid() != 0 else { return } // root ignores permissions; covered by the e2e disk-full test
        let root = tempRoot()
        defer { chmod(root + "/x.test/a/new", 0o700); try? FileManager.default.removeItem(atPath: root) }
        let d = MaildirDelivery(mailRoot: root, hostname: "mx")
        try d.ensureMaildir(owner: "a@x.test")
        chmod(root + "/x.test/a/new", 0o500)
        let spool = try d.open(owners: ["a@x.test"])
        try spool.write([65])
        #expect(throws: DeliveryError.self) { try spool.commit() }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/x.test/a/tmp").isEmpty)
    }

    @Test func staleTmpFilesAreCleaned() throws {
        let root = tempRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let d = MaildirDelivery(mailRoot: root, hostname: "mx")
        try d.ensureMaildir(owner: "a@x.test")
        _ = FileManager.default.createFile(atPath: root + "/x.test/a/tmp/old", contents: Data([1]))
        #expect(d.cleanTmp(olderThan: 36 * 3600, now: Date()) == 0)
        #expect(d.cleanTmp(olderThan: 36 * 3600, now: Date().addingTimeInterval(40 * 3600)) == 1)
    }
}

struct DatabaseTests {
    @Test func usersAliasesBansPersist() throws {
        let dir = NSTemporaryDirectory() + "facteur-db-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let db = try FacteurDatabase(path: dir + "/f.sqlite")
            try db.addUser("alice@a.test", passwordHash: "$y$x")
            try db.addAlias("sales@a.test", target: "alice@a.test")
            #expect(throws: StoreError.self) { try db.addAlias("x@a.test", target: "nobody@a.test") }
            #expect(throws: StoreError.self) { try db.addUser("sales@a.test", passwordHash: "h") }
            let ban = BanInfo(network: "192.0.2.7/32", rule: "relay", reason: "relay attempt", evidence: ["RCPT TO:<x@gmail.com>"],
                              source: .automatic, created: Date(timeIntervalSince1970: 1000), expires: Date(timeIntervalSince1970: 87400), hits: 2)
            try db.saveBan(ban)
        }
        let db = try FacteurDatabase(path: dir + "/f.sqlite")
        let mode = try db.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        #expect(try db.users().map(\.address) == ["alice@a.test"])
        let directory = try db.directory(domains: ["a.test"])
        #expect(directory.resolve(MailAddress(localPart: "Sales", domain: "A.test")) == .local(["alice@a.test"]))
        #expect(directory.resolve(MailAddress(localPart: "bob", domain: "a.test")) == .unknownUser)
        let bans = try db.bans()
        #expect(bans.count == 1)
        #expect(bans[0].ban.evidence == ["RCPT TO:<x@gmail.com>"])
        #expect(bans[0].ban.expires == Date(timeIntervalSince1970: 87400))
        #expect(try db.deleteBan("192.0.2.7/32"))
        #expect(try db.bans().isEmpty)
    }
}

struct GreylistStoreTests {
    @Test func entriesPersistAndAreForgotten() throws {
        let dir = NSTemporaryDirectory() + "facteur-grey-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        do {
            let store = GreylistStore(database: try FacteurDatabase(path: dir + "/f.sqlite"))
            let seen: GreylistStore.Row? = try store.update(network: "192.0.2.0/24", sender: "a@x.test", recipient: "b@y.test") { row in
                (row, GreylistStore.Row(firstSeen: t0, lastSeen: t0, passed: false))
            }
            #expect(seen == nil)
        }
        let store = GreylistStore(database: try FacteurDatabase(path: dir + "/f.sqlite"))
        let reopened: GreylistStore.Row? = try store.update(network: "192.0.2.0/24", sender: "a@x.test", recipient: "b@y.test") { row in
            (row, GreylistStore.Row(firstSeen: t0, lastSeen: t0.addingTimeInterval(400), passed: true))
        }
        #expect(reopened == GreylistStore.Row(firstSeen: t0, lastSeen: t0, passed: false))
        #expect(try store.removeOlder(than: t0.addingTimeInterval(399)) == 0)
        #expect(try store.removeOlder(than: t0.addingTimeInterval(401)) == 1)
    }
}
