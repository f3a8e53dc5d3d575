import Foundation
import GRDB
import Testing
@testable import FacteurMailStore

@Suite struct MailStoreSchemaTests {
    @Test func migrationsJoinTheAppMigratorAndRunOnce() throws {
        let queue = try DatabaseQueue()
        var app = DatabaseMigrator()
        app.registerMigration("v1-users-aliases-bans") { db in try db.execute(sql: "CREATE TABLE user (address TEXT PRIMARY KEY)") }
        MailStore.registerMigrations(&app)
        try app.migrate(queue)
        try MailStore.migrate(queue)             // already applied: nothing to do, no error
        let tables = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'mailstore_%' ORDER BY name")
        }
        #expect(tables == ["mailstore_expunged", "mailstore_mailbox", "mailstore_message", "mailstore_meta", "mailstore_sortkey", "mailstore_subscription", "mailstore_usage"])
        #expect(try queue.read { db in try app.appliedIdentifiers(db) } == ["v1-users-aliases-bans", "mailstore-v1", "mailstore-v2-modseq", "mailstore-v2-sortkeys", "mailstore-v2-quota"])
    }

    @Test func deletingAMailboxRowDropsItsMessages() throws {
        let f = try Fixture()
        let alice = "alice@example.test"
        try f.store.ensureUser(alice)
        try f.store.append(owner: alice, mailbox: "Trash", source: .bytes([1]))
        try f.store.deleteMailbox(owner: alice, name: "Trash")
        #expect(try f.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM mailstore_message") } == 0)
    }
}
