import Foundation
import FacteurCore

/// Panel 4: every ban, with a countdown that moves every second.
enum BlacklistView {
    static func spec(now: Date) -> ListSpec<BanInfo> {
        ListSpec(
            table: Table([
                .init("Network", width: 18, flex: true), .init("Reason", width: 14, flex: true), .init("Kind", width: 6),
                .init("Remaining", width: 10, alignRight: true), .init("Expires", width: 16), .init("Hits", width: 6, alignRight: true),
            ]),
            cells: { b in
                [b.network, b.reason, b.source == .automatic ? "auto" : "manual",
                 Formatting.countdown(until: b.expires, now: now),
                 b.expires.map(Formatting.dateTime) ?? "never", "\(b.hits)"]
            },
            sorts: [
                .init(column: 3, key: { ($0.expires ?? .distantFuture).timeIntervalSinceReferenceDate }),
                .init(column: 0, less: { $0.network < $1.network }),
                .init(column: 5, key: { -Double($0.hits) }),
                .init(column: 2, less: { $0.source.rawValue < $1.source.rawValue }),
            ],
            identity: { $0.network })
    }

    static func items(model: ConsoleModel, state: ConsoleState, now: Date) -> [BanInfo] {
        spec(now: now).visible(Array(model.bans.values), cursor: state.cursor(.blacklist))
    }

    static func render(model: ConsoleModel, state: ConsoleState, now: Date, width: Int, height: Int) -> [StyledLine] {
        let s = spec(now: now)
        let cursor = state.cursor(.blacklist)
        let items = s.visible(Array(model.bans.values), cursor: cursor)
        let permanent = items.filter { $0.expires == nil }.count
        let title = PanelTitle.line("Blacklist", detail: "\(items.count) bans, \(permanent) permanent", cursor: cursor, width: width)
        return [title] + s.render(items, cursor: cursor, width: width, height: height - 1,
                                  cellRoles: { b in
                                      guard let e = b.expires else { return [3: .danger] }
                                      return e.timeIntervalSince(now) < 300 ? [3: .ok] : [3: .warning]
                                  }, empty: "no ban")
    }
}
