import Foundation
import GRDB
import Synchronization
@testable import FacteurMailStore
#if canImport(Glibc)
import Glibc
#endif

/// A mail root and database in a fresh temp directory.
final class Fixture: @unchecked Sendable {
    let dir: String
    let dbPath: String
    let root: String
    private(set) var store: MailStore
    private var counter = 0
    /// The store's clock; tests move it explicitly.
    let clock = TestClock()

    init() throws {
        dir = NSTemporaryDirectory() + "mailstore-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        dbPath = dir + "/facteur.sqlite"
        root = dir + "/mail"
        store = try Self.open(dbPath: dbPath, root: root, clock: clock)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// A fixture whose `owner` has `n` messages delivered to INBOX, selected once (now in cur/).
    static func inbox(_ owner: String, messages n: Int) throws -> Fixture {
        let f = try Fixture()
        try f.store.ensureUser(owner)
        for i in 0..<n { try f.deliver(owner, seconds: 1_795_933_936 + i) }
        _ = try f.store.select(owner: owner, mailbox: "INBOX", readOnly: false)
        return f
    }

    static func open(dbPath: String, root: String, clock: TestClock) throws -> MailStore {
        let pool = try DatabasePool(path: dbPath)
        var migrator = DatabaseMigrator()
        MailStore.registerMigrations(&migrator)
        try migrator.migrate(pool)
        return MailStore(pool: pool, mailRoot: root, hostname: "test.example", now: { clock.now })
    }

    /// A new MailStore on the same database (a restart).
    func reopen() throws { store = try Self.open(dbPath: dbPath, root: root, clock: clock) }

    /// Deletes the database and opens a new empty one (index lost).
    func loseDatabase() throws {
        store = try Self.open(dbPath: dir + "/unused-\(UUID().uuidString).sqlite", root: root, clock: clock)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) }
        clock.advance(3600)
        store = try Self.open(dbPath: dbPath, root: root, clock: clock)
    }

    func maildir(_ owner: String = "alice@example.test", _ folder: String? = nil) -> String {
        let parts = owner.split(separator: "@")
        var p = "\(root)/\(parts[1])/\(parts[0])"
        if let folder { p += "/." + folder.replacingOccurrences(of: "/", with: ".") }
        return p
    }

    static func message(_ subject: String, from: String = "Bob <bob@example.test>") -> [UInt8] {
        Array("From: \(from)\r\nSubject: \(subject)\r\nDate: Tue, 1 Jul 2025 10:52:37 +0200\r\n\r\nHello \(subject)\r\n".utf8)
    }

    /// Drops a file into new/ the way `MaildirDelivery` names it; returns the file name.
    @discardableResult
    func deliver(_ owner: String = "alice@example.test", folder: String? = nil, subject: String = "hi",
                 seconds: Int = 1_795_933_936, micros: Int? = nil, sizeInName: Bool = true, into sub: String = "new",
                 info: String = "") throws -> String {
        counter += 1
        let bytes = Self.message(subject)
        let dir = maildir(owner, folder)
        for s in ["tmp", "new", "cur"] { try FileManager.default.createDirectory(atPath: dir + "/" + s, withIntermediateDirectories: true) }
        var name = "\(seconds).M\(micros ?? counter)P4242Q\(counter)R\(String(counter, radix: 16)).mail.example.test"
        if sizeInName { name += ",S=\(bytes.count)" }
        name += info
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + sub + "/" + name))
        return name
    }

    func files(_ sub: String, owner: String = "alice@example.test", folder: String? = nil) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: maildir(owner, folder) + "/" + sub)) ?? []).sorted()
    }

    /// Pretends the directories of a mailbox have not changed for an hour (trusted mtimes).
    func ageDirectories(_ owner: String = "alice@example.test", folder: String? = nil) {
        for s in ["/new", "/cur"] { MaildirIO.setPathMtime(maildir(owner, folder) + s, Date(timeIntervalSince1970: 1_700_000_000)) }
    }
}

/// Collects events posted to a subscription.
final class EventLog: Sendable {
    private let events = Mutex<[MailboxEvent]>([])
    var all: [MailboxEvent] { events.withLock { $0 } }
    func record(_ e: MailboxEvent) { events.withLock { $0.append(e) } }
    var added: [UInt32] { all.flatMap { if case .added(let u) = $0 { return u } else { return [] } } }
    var expunged: [UInt32] { all.flatMap { if case .expunged(let u) = $0 { return u } else { return [] } } }
    var flagChanges: [MessageState] { all.flatMap { if case .flagsChanged(let s) = $0 { return s } else { return [] } } }
}

final class TestClock: Sendable {
    private let date = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { date.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { date.withLock { $0 += seconds } }
}
