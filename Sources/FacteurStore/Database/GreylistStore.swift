import Foundation
import GRDB

/// The greylisting triplets (`[greylist]`), in the server's SQLite database. The decisions are
/// made by the caller (`FacteurMailAuth.Greylist`); this keeps the entries and forgets old ones.
public final class GreylistStore: Sendable {
    let pool: DatabasePool

    public init(database: FacteurDatabase) { pool = database.pool }

    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("greylist-v1") { db in
            try db.create(table: "greylist") { t in
                t.column("network", .text).notNull()
                t.column("sender", .text).notNull()
                t.column("recipient", .text).notNull()
                t.column("firstSeen", .double).notNull()
                t.column("lastSeen", .double).notNull()
                t.column("passed", .boolean).notNull()
                t.primaryKey(["network", "sender", "recipient"])
            }
            try db.create(index: "greylist_lastSeen", on: "greylist", columns: ["lastSeen"])
        }
    }

    public struct Row: Sendable, Equatable {
        public var firstSeen: Date
        public var lastSeen: Date
        public var passed: Bool
        public init(firstSeen: Date, lastSeen: Date, passed: Bool) {
            self.firstSeen = firstSeen; self.lastSeen = lastSeen; self.passed = passed
        }
    }

    /// Reads the entry of a triplet, lets `decide` turn it into the new one, and stores that, in
    /// one transaction (two deliveries of the same triplet at once see each other).
    public func update<D: Sendable>(network: String, sender: String, recipient: String,
                                    _ decide: @Sendable (Row?) -> (D, Row)) throws -> D {
        try pool.write { db in
            let current = try GRDB.Row.fetchOne(db, sql: """
                SELECT firstSeen, lastSeen, passed FROM greylist WHERE network = ? AND sender = ? AND recipient = ?
                """, arguments: [network, sender, recipient]).map {
                Row(firstSeen: Date(timeIntervalSince1970: $0["firstSeen"]), lastSeen: Date(timeIntervalSince1970: $0["lastSeen"]),
                    passed: $0["passed"])
            }
            let (decision, next) = decide(current)
            try db.execute(sql: """
                INSERT INTO greylist (network, sender, recipient, firstSeen, lastSeen, passed) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(network, sender, recipient) DO UPDATE SET firstSeen = excluded.firstSeen,
                    lastSeen = excluded.lastSeen, passed = excluded.passed
                """, arguments: [network, sender, recipient, next.firstSeen.timeIntervalSince1970,
                                 next.lastSeen.timeIntervalSince1970, next.passed])
            return decision
        }
    }

    /// Forgets triplets not seen since `before`; returns how many.
    @discardableResult
    public func removeOlder(than before: Date) throws -> Int {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM greylist WHERE lastSeen < ?", arguments: [before.timeIntervalSince1970])
            return db.changesCount
        }
    }
}
