import ArgumentParser
import FacteurCore
import FacteurServer
import FacteurStore
import Foundation

@main
struct Facteur: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facteur",
        abstract: "A mail server for small businesses: SMTP in, IMAP and POP3 out, a guard, and a console.",
        subcommands: [ConsoleCommand.self, Serve.self, StopCommand.self, Init.self, UserCommand.self, AliasCommand.self, BanCommand.self, UnbanCommand.self, BansCommand.self, AllowCommand.self, Check.self, CollectCommand.self],
        defaultSubcommand: nil)
}

/// `--config PATH` (default: $FACTEUR_CONFIG, else ./facteur.toml, else the built-in default).
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: $FACTEUR_CONFIG, else ./facteur.toml; built-in default if absent).")
    var config: String?

    func load() throws -> Config {
        do { return try Config.load(option: config) }
        catch let e as ConfigError { throw ValidationError(e.description) }
    }
}

/// Prints an error the way a person reads it, and exits non-zero.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("facteur: \(message)\n".utf8))
    exit(1)
}
