import Foundation
import FacteurCore

/// Panel 3: refusals, newest first, identical ones folded with a repeat count.
enum RejectionsView {
    static func spec(model: ConsoleModel) -> ListSpec<RejectionEntry> {
        ListSpec(
            table: Table([
                .init("Time", width: 8), .init("Address", width: 15, flex: true), .init("Cc", width: 2),
                .init("Proto", width: 5), .init("Rule", width: 10), .init("Reason", width: 12, flex: true),
                .init("From → To", width: 6, flex: true), .init("×", width: 4, alignRight: true),
            ]),
            cells: { e in
                let r = e.rejection
                let who = [r.sender ?? r.user, r.recipient].compactMap { $0 }.joined(separator: " → ")
                return [Formatting.clock(e.lastSeen), r.remoteAddress, model.country(of: r.remoteAddress) ?? "--",
                        r.service.rawValue.uppercased(), r.rule, r.reason, who, "\(e.count)"]
            },
            sorts: [
                .init(column: 0, less: { $0.lastSeen > $1.lastSeen }),
                .init(column: 7, less: { $0.count > $1.count }),
                .init(column: 1, less: { $0.rejection.remoteAddress < $1.rejection.remoteAddress }),
                .init(column: 4, less: { $0.rejection.rule < $1.rejection.rule }),
            ],
            identity: { $0.foldKey })
    }

    static func items(model: ConsoleModel, state: ConsoleState) -> [RejectionEntry] {
        spec(model: model).visible(model.rejections, cursor: state.cursor(.rejections))
    }

    static func render(model: ConsoleModel, state: ConsoleState, now: Date, width: Int, height: Int) -> [StyledLine] {
        let s = spec(model: model)
        let cursor = state.cursor(.rejections)
        let items = s.visible(model.rejections, cursor: cursor)
        let title = PanelTitle.line("Rejections", detail: "\(model.counters.rejections) since start, \(items.count) rows",
                                    cursor: cursor, width: width)
        return [title] + s.render(items, cursor: cursor, width: width, height: height - 1,
                                  cellRoles: { $0.count >= 5 ? [7: .danger] : [:] }, empty: "no rejection yet")
    }
}
