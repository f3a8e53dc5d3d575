import FacteurCore

/// Panel 7: the server log, newest last, filterable; follows the end unless the admin scrolls up.
enum LogView {
    static func spec() -> ListSpec<LogLine> {
        ListSpec(
            table: Table([.init("Time", width: 8), .init("Level", width: 7), .init("Message", width: 20, flex: true)]),
            cells: { [Formatting.clock($0.time), $0.level.rawValue, $0.message] },
            sorts: [])
    }

    static func role(_ level: LogLevel) -> Role {
        switch level {
        case .debug: return .dim
        case .info, .notice: return .normal
        case .warning: return .warning
        case .error: return .danger
        }
    }

    static func items(model: ConsoleModel, state: ConsoleState) -> [LogLine] {
        spec().visible(model.log.elements, cursor: state.cursor(.log))
    }

    static func render(model: ConsoleModel, state: ConsoleState, width: Int, height: Int) -> [StyledLine] {
        let cursor = state.cursor(.log)
        let items = spec().visible(model.log.elements, cursor: cursor)
        let following = cursor.selected >= items.count - 1
        let title = PanelTitle.line("Log", detail: "\(items.count) lines" + (following ? ", following" : ""),
                                    cursor: cursor, width: width)
        return [title] + spec().render(items, cursor: cursor, width: width, height: height - 1,
                                       cellRoles: { [1: role($0.level), 2: role($0.level)] }, empty: "no log line")
    }
}
