import ArgumentParser
import FacteurConsole
import FacteurCore
import Foundation

struct ConsoleBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console-render",
        abstract: "Full redraw time of every console panel with many live connections and bans (pure views, no terminal).")

    @Option var connections = 1000
    @Option var bans = 10_000
    @Option var rounds = 200
    @Option var columns = 120
    @Option var rows = 40

    func run() throws {
        let now = Date()
        var model = ConsoleModel(startTime: now.addingTimeInterval(-3600))
        for i in 0..<connections {
            let info = ConnectionInfo(id: ConnectionID(UInt64(i)), service: [.smtp, .imap, .pop3][i % 3],
                                      remoteAddress: "10.\(i / 65536 % 256).\(i / 256 % 256).\(i % 256)", remotePort: 40000 + i % 20000,
                                      localAddress: "0.0.0.0:25", tls: i % 2 == 0, opened: now.addingTimeInterval(-Double(i)))
            model.apply(ServerEvent(time: now, kind: .connectionOpened(info)))
        }
        var list: [BanInfo] = []
        for i in 0..<bans {
            list.append(BanInfo(network: "172.\(16 + i / 65536 % 16).\(i / 256 % 256).\(i % 256)/32", rule: "relay", reason: "1 relay attempt",
                                evidence: [], source: .automatic, created: now, expires: now.addingTimeInterval(86400 - Double(i)), hits: i % 7))
        }
        model.replaceBans(list)
        for i in 0..<2000 {
            model.apply(ServerEvent(time: now, kind: .rejected(Rejection(connection: nil, service: .smtp, remoteAddress: "192.0.2.\(i % 250)",
                                                                      rule: "relay", reason: "relaying denied", sender: "a@b", recipient: "c@d"))))
        }
        var state = ConsoleState(showBodies: true)
        for panel in [Panel.overview, .connections, .rejections, .blacklist, .log] {
            state.panel = panel
            var lines = 0
            let start = DispatchTime.now().uptimeNanoseconds
            for r in 0..<rounds {
                lines += ConsoleScreen.render(model: model, state: state, now: now.addingTimeInterval(Double(r)), rows: rows, columns: columns).count
            }
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(rounds)
            print(String(format: "console-render: %@ with %d connections, %d bans: %.2f ms per full redraw (%dx%d)",
                         panel.title, connections, bans, ms, columns, rows))
            _ = lines
        }
    }
}
