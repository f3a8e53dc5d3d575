import ArgumentParser
import FacteurCore
import FacteurServer
import FacteurStore
import Foundation
import FacteurMailStore
#if canImport(Glibc)
import Glibc
#endif

/// Reads a password: one line from stdin with --password-stdin, else asked twice without echo.
func readPassword(fromStdin: Bool) -> String {
    if fromStdin {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { fail("no password on standard input") }
        return line
    }
    guard let a = getpass("Password: ").map({ String(cString: $0) }), !a.isEmpty else { fail("empty password") }
    guard let b = getpass("Again: ").map({ String(cString: $0) }), a == b else { fail("the passwords differ") }
    return a
}

/// Opens the database of the configured data_dir.
func openDatabase(_ config: Config) -> FacteurDatabase {
    do { return try FacteurDatabase(path: config.databasePath) }
    catch { fail("cannot open \(config.databasePath): \(error)") }
}

/// Tells a running server to re-read users and aliases; silent if none runs.
func notifyServer(_ config: Config) {
    _ = tryServer(config, .reload)
}

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage mail users.",
                                                    subcommands: [Add.self, Del.self, Passwd.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user and its mailbox.")
        @OptionGroup var options: ConfigOption
        @Argument(help: "Address, e.g. alice@example.com") var address: String
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() throws {
            let config = try options.load()
            let (local, domain) = try validated(address, config)
            let password = readPassword(fromStdin: passwordStdin)
            let db = openDatabase(config)
            let owner = "\(local)@\(domain)"
            do {
                try db.addUser(owner, passwordHash: try PasswordHasher.hash(password))
                try MaildirDelivery(mailRoot: config.mailRoot, hostname: config.hostname).ensureMaildir(owner: owner)
                try MailStore(pool: db.pool, mailRoot: config.mailRoot, hostname: config.hostname).ensureUser(owner)
            } catch { fail("\(error)") }
            notifyServer(config)
            print("created \(owner)")
        }
    }

    struct Del: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a user (the Maildir is kept on disk).")
        @OptionGroup var options: ConfigOption
        @Argument var address: String

        func run() throws {
            let config = try options.load()
            let db = openDatabase(config)
            do { try db.deleteUser(address.lowercased()) } catch { fail("\(error)") }
            notifyServer(config)
            print("deleted \(address.lowercased()); its mail stays in \(MaildirDelivery(mailRoot: config.mailRoot, hostname: config.hostname).maildir(owner: address.lowercased()))")
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password.")
        @OptionGroup var options: ConfigOption
        @Argument var address: String
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() throws {
            let config = try options.load()
            let password = readPassword(fromStdin: passwordStdin)
            let db = openDatabase(config)
            do { try db.setPasswordHash(address.lowercased(), try PasswordHasher.hash(password)) } catch { fail("\(error)") }
            print("password changed for \(address.lowercased())")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var options: ConfigOption

        func run() throws {
            let config = try options.load()
            for u in try openDatabase(config).users() { print(u.address) }
        }
    }
}

func validated(_ address: String, _ config: Config) throws -> (String, String) {
    do { return try LocalAddress.validate(address, domains: config.domains) }
    catch { fail("\(error)") }
}

struct AliasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "alias", abstract: "Manage aliases (extra addresses delivering to users).",
                                                    subcommands: [Add.self, Del.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deliver mail for ALIAS to the user TARGET (repeat to add more targets).")
        @OptionGroup var options: ConfigOption
        @Argument var alias: String
        @Argument var target: String

        func run() throws {
            let config = try options.load()
            let (l, d) = try validated(alias, config)
            do { try openDatabase(config).addAlias("\(l)@\(d)", target: target.lowercased()) } catch { fail("\(error)") }
            notifyServer(config)
            print("\(l)@\(d) → \(target.lowercased())")
        }
    }

    struct Del: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an alias.")
        @OptionGroup var options: ConfigOption
        @Argument var alias: String

        func run() throws {
            let config = try options.load()
            do { try openDatabase(config).deleteAlias(alias.lowercased()) } catch { fail("\(error)") }
            notifyServer(config)
            print("deleted alias \(alias.lowercased())")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List aliases.")
        @OptionGroup var options: ConfigOption

        func run() throws {
            let config = try options.load()
            for a in try openDatabase(config).aliases() { print("\(a.alias) → \(a.targets.joined(separator: ", "))") }
        }
    }
}
