import Foundation
import FacteurCore

/// Panel 2: one row per open connection.
enum ConnectionsView {
    static func spec(model: ConsoleModel, now: Date) -> ListSpec<LiveConnection> {
        ListSpec(
            table: Table([
                .init("Proto", width: 5), .init("Remote", width: 15, flex: true), .init("Cc", width: 2),
                .init("User", width: 10, flex: true), .init("State", width: 8, flex: true),
                .init("Time", width: 7, alignRight: true), .init("In", width: 9, alignRight: true),
                .init("Out", width: 9, alignRight: true),
            ]),
            cells: { c in
                [c.info.service.rawValue.uppercased() + (c.info.tls ? "s" : ""), c.info.remoteAddress,
                 model.country(of: c.info.remoteAddress) ?? "--", c.user ?? "", c.state,
                 Formatting.duration(now.timeIntervalSince(c.info.opened)),
                 Formatting.bytes(Int64(clamping: c.bytesIn)), Formatting.bytes(Int64(clamping: c.bytesOut))]
            },
            sorts: [
                .init(column: 5, less: { $0.info.opened < $1.info.opened }),
                .init(column: 0, less: { $0.info.service.rawValue < $1.info.service.rawValue }),
                .init(column: 1, less: { $0.info.remoteAddress < $1.info.remoteAddress }),
                .init(column: 3, less: { ($0.user ?? "") < ($1.user ?? "") }),
                .init(column: 6, less: { $0.bytesIn > $1.bytesIn }),
                .init(column: 7, less: { $0.bytesOut > $1.bytesOut }),
            ],
            identity: { "\($0.info.id.raw)" })
    }

    static func items(model: ConsoleModel, state: ConsoleState, now: Date) -> [LiveConnection] {
        spec(model: model, now: now).visible(Array(model.connections.values), cursor: state.cursor(.connections))
    }

    static func render(model: ConsoleModel, state: ConsoleState, now: Date, width: Int, height: Int) -> [StyledLine] {
        let s = spec(model: model, now: now)
        let cursor = state.cursor(.connections)
        let items = s.visible(Array(model.connections.values), cursor: cursor)
        let title = PanelTitle.line("Connections", detail: "\(items.count) of \(model.connections.count) open",
                                    cursor: cursor, width: width)
        return [title] + s.render(items, cursor: cursor, width: width, height: height - 1, empty: "no open connection")
    }
}
