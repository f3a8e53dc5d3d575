import ArgumentParser
import FacteurStore
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a commented facteur.toml for a real deployment and create the data folder.")

    @OptionGroup var options: ConfigOption
    @Option(help: "The business's mail domain, e.g. example.com") var domain: String
    @Option(help: "This server's public host name (default: mail.DOMAIN)") var hostname: String?
    @Option(help: "Data folder (default: data, beside the configuration file)") var dir: String = "data"

    func run() throws {
        let (path, _) = Config.resolvePath(options.config, systemPath: "") // init writes here, never to /etc by surprise
        if FileManager.default.fileExists(atPath: path) { fail("\(path) exists already; not overwriting it") }
        let d = domain.lowercased()
        guard !d.isEmpty, d.contains("."), !d.contains(" ") else { fail("'\(domain)' does not look like a domain") }
        let host = hostname ?? "mail.\(d)"
        let text = ConfigTemplate.render(domain: d, hostname: host, dataDir: dir)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o640]) else {
            fail("cannot write \(path)")
        }
        let folder = ((path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path) as NSString).deletingLastPathComponent
        let data = dir.hasPrefix("/") ? dir : folder + "/" + dir
        try MaildirDelivery.mkdirp(data)
        // Check that what we wrote parses.
        do { _ = try Config.parse(text, file: path) } catch { fail("internal error, generated configuration invalid: \(error)") }
        print("wrote \(path) and created \(data)")
        print("next: facteur user add postmaster@\(d) --config \(path)")
    }
}
