import FacteurCore
import Foundation
import GRDB
import FacteurMailStore

/// The one SQLite database under data_dir (WAL mode): users, aliases, bans, and later the
/// mailbox index. Everything in it except users and aliases can be rebuilt from the Maildirs.
public final class FacteurDatabase: Sendable {
    public let pool: DatabasePool
    public let path: String

    public init(path: String) throws {
        self.path = path
        try MaildirDelivery.mkdirp((path as NSString).deletingLastPathComponent)
        var config = Configuration()
        config.busyMode = .timeout(5)
        pool = try DatabasePool(path: path, configuration: config)
        try Self.migrator.migrate(pool)
        chmod(path, 0o600)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-users-aliases-bans") { db in
            try db.create(table: "user") { t in
                t.primaryKey("address", .text)
                t.column("passwordHash", .text).notNull()
                t.column("created", .double).notNull()
            }
            try db.create(table: "alias") { t in
                t.primaryKey("alias", .text)
                t.column("target", .text).notNull()
            }
            try db.create(table: "ban") { t in
                t.primaryKey("network", .text)
                t.column("rule", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("evidence", .text).notNull()
                t.column("source", .text).notNull()
                t.column("created", .double).notNull()
                t.column("expires", .double)
                t.column("hits", .integer).notNull()
                t.column("offences", .integer).notNull().defaults(to: 1)
            }
        }
        m.registerMigration("v2-allowed-networks") { db in
            try db.create(table: "allowedNetwork") { t in
                t.primaryKey("network", .text)
                t.column("created", .double).notNull()
            }
        }
        // The mailbox index lives in the same database.
        MailStore.registerMigrations(&m)
        GreylistStore.registerMigrations(&m)
        return m
    }

    // MARK: Networks the admin allowed (never banned)

    public func addAllowedNetwork(_ network: String, now: Date = Date()) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO allowedNetwork (network, created) VALUES (?, ?)",
                           arguments: [network, now.timeIntervalSince1970])
        }
    }

    public func allowedNetworks() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "SELECT network FROM allowedNetwork ORDER BY network") }
    }

    // MARK: Users

    public struct User: Sendable, Equatable {
        public var address: String
        public var created: Date
    }

    public func addUser(_ address: String, passwordHash: String, now: Date = Date()) throws {
        try pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM user WHERE address = ?", arguments: [address]) == true {
                throw StoreError.exists("user \(address) already exists")
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM alias WHERE alias = ?", arguments: [address]) == true {
                throw StoreError.exists("\(address) is already an alias")
            }
            try db.execute(sql: "INSERT INTO user (address, passwordHash, created) VALUES (?, ?, ?)",
                           arguments: [address, passwordHash, now.timeIntervalSince1970])
        }
    }

    public func deleteUser(_ address: String) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM user WHERE address = ?", arguments: [address])
            if db.changesCount == 0 { throw StoreError.notFound("no user \(address)") }
        }
    }

    public func setPasswordHash(_ address: String, _ hash: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE user SET passwordHash = ? WHERE address = ?", arguments: [hash, address])
            if db.changesCount == 0 { throw StoreError.notFound("no user \(address)") }
        }
    }

    public func passwordHash(_ address: String) throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT passwordHash FROM user WHERE address = ?", arguments: [address]) }
    }

    public func users() throws -> [User] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT address, created FROM user ORDER BY address").map {
                User(address: $0["address"], created: Date(timeIntervalSince1970: $0["created"]))
            }
        }
    }

    // MARK: Aliases

    public func addAlias(_ alias: String, target: String) throws {
        try pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM user WHERE address = ?", arguments: [alias]) == true {
                throw StoreError.exists("\(alias) is a user; an alias cannot have the same address")
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM user WHERE address = ?", arguments: [target]) == true else {
                throw StoreError.notFound("alias target \(target) is not a user")
            }
            let existing = try String.fetchOne(db, sql: "SELECT target FROM alias WHERE alias = ?", arguments: [alias])
            var targets = existing.map { $0.split(separator: ",").map(String.init) } ?? []
            if targets.contains(target) { throw StoreError.exists("\(alias) already delivers to \(target)") }
            targets.append(target)
            try db.execute(sql: "INSERT OR REPLACE INTO alias (alias, target) VALUES (?, ?)",
                           arguments: [alias, targets.joined(separator: ",")])
        }
    }

    public func deleteAlias(_ alias: String) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM alias WHERE alias = ?", arguments: [alias])
            if db.changesCount == 0 { throw StoreError.notFound("no alias \(alias)") }
        }
    }

    public func aliases() throws -> [(alias: String, targets: [String])] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT alias, target FROM alias ORDER BY alias").map {
                (alias: $0["alias"] as String, targets: ($0["target"] as String).split(separator: ",").map(String.init))
            }
        }
    }

    /// Users and aliases as an in-memory directory for the SMTP session.
    public func directory(domains: [String]) throws -> StaticDirectory {
        let u = try users().map(\.address)
        var a: [String: [String]] = [:]
        for (alias, targets) in try aliases() { a[alias] = targets }
        return StaticDirectory(domains: Set(domains), users: u, aliases: a)
    }

    // MARK: Bans

    public func saveBan(_ ban: BanInfo, offences: Int = 1) throws {
        let evidence = String(decoding: try JSONEncoder().encode(ban.evidence), as: UTF8.self)
        try pool.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO ban (network, rule, reason, evidence, source, created, expires, hits, offences)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [ban.network, ban.rule, ban.reason, evidence, ban.source.rawValue,
                                 ban.created.timeIntervalSince1970, ban.expires?.timeIntervalSince1970, ban.hits, offences])
        }
    }

    public func deleteBan(_ network: String) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM ban WHERE network = ?", arguments: [network])
            return db.changesCount > 0
        }
    }

    public func bans() throws -> [(ban: BanInfo, offences: Int)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ban ORDER BY created").map { row in
                let evidenceText: String = row["evidence"]
                let evidence = (try? JSONDecoder().decode([String].self, from: Data(evidenceText.utf8))) ?? []
                let expires: Double? = row["expires"]
                let ban = BanInfo(network: row["network"], rule: row["rule"], reason: row["reason"], evidence: evidence,
                                  source: BanInfo.Source(rawValue: row["source"]) ?? .manual,
                                  created: Date(timeIntervalSince1970: row["created"]),
                                  expires: expires.map { Date(timeIntervalSince1970: $0) }, hits: row["hits"])
                return (ban, row["offences"] as Int)
            }
        }
    }
}

public enum StoreError: Error, CustomStringConvertible {
    case exists(String)
    case notFound(String)
    public var description: String {
        switch self {
        case .exists(let s), .notFound(let s): return s
        }
    }
}
