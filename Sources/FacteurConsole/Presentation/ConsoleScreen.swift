import Foundation

/// The whole screen as a pure function of the model, the UI state, the time and the size:
/// tab bar, panel, status line, and an overlay when one is open.
public enum ConsoleScreen {
    public static let minimumColumns = 80
    public static let minimumRows = 24

    /// Rows of a list below its title and header rows, for the controller's paging.
    public static func pageHeight(rows: Int) -> Int { max(1, rows - 4) }

    public static func render(model: ConsoleModel, state: ConsoleState, now: Date, rows: Int, columns: Int) -> [StyledLine] {
        guard rows > 0, columns > 0 else { return [] }
        if rows < 3 || columns < 20 {
            return (0..<rows).map { i in StyledLine(i == 0 ? "Terminal too small" : "", .danger).fitted(to: columns) }
        }
        let bodyHeight = rows - 2
        var lines = [tabBar(state: state, model: model, now: now, width: columns)]
        var body: [StyledLine]
        switch state.panel {
        case .overview: body = OverviewView.render(model: model, now: now, width: columns, height: bodyHeight,
                                                   mailboxUsers: state.mailbox.users.value)
        case .connections: body = ConnectionsView.render(model: model, state: state, now: now, width: columns, height: bodyHeight)
        case .rejections: body = RejectionsView.render(model: model, state: state, now: now, width: columns, height: bodyHeight)
        case .blacklist: body = BlacklistView.render(model: model, state: state, now: now, width: columns, height: bodyHeight)
        case .mailboxes: body = MailboxesView.render(state: state, width: columns, height: bodyHeight)
        case .router: body = RouterView.render(state: state, width: columns, height: bodyHeight)
        case .log: body = LogView.render(model: model, state: state, width: columns, height: bodyHeight)
        }
        if let box = overlay(state: state, width: columns, height: bodyHeight) {
            body = Overlay.place(box, over: body, width: columns)
        }
        lines += body
        lines.append(statusLine(state: state, width: columns))
        return lines
    }

    static func tabBar(state: ConsoleState, model: ConsoleModel, now: Date, width: Int) -> StyledLine {
        // Long panel titles only when the server label still fits beside them.
        let server = attachmentLabel(model.attachment, now: now, long: true)
        let long = Panel.allCases.reduce(10) { $0 + $1.title.count + 4 } + DisplayWidth.width(of: server) <= width
        var l = StyledLine(" Facteur ", .title)
        for p in Panel.allCases {
            let name = " \(p.rawValue) " + (long ? p.title : p.shortTitle) + " "
            l.append(name, p == state.panel ? .tabActive : .tab)
        }
        // Right side: which server, then the clock, as much as fits (the server first).
        let clock = " " + Formatting.clock(now) + " UTC "
        let short = attachmentLabel(model.attachment, now: now, long: false)
        let room = width - l.width
        let right = [server + clock, server, short + clock, short].first { !$0.isEmpty && DisplayWidth.width(of: $0) <= room } ?? ""
        if !right.isEmpty {
            l.append(String(repeating: " ", count: room - DisplayWidth.width(of: right)), .tab)
            l.append(right, .title)
        }
        return l.fitted(to: width, padRole: .tab)
    }

    /// "attached to pid 4242, up 3d04h" / "embedded, pid 4242, up 5m" (short: "pid 4242").
    static func attachmentLabel(_ a: ConsoleAttachment?, now: Date, long: Bool) -> String {
        guard let a else { return "" }
        let up = Formatting.duration(now.timeIntervalSince(a.started))
        switch (a.mode, long) {
        case (.attached, true): return " attached to pid \(a.pid), up \(up) "
        case (.embedded, true): return " embedded, pid \(a.pid), up \(up) "
        case (.attached, false): return " attached pid \(a.pid) "
        case (.embedded, false): return " embedded pid \(a.pid) "
        }
    }

    static func statusLine(state: ConsoleState, width: Int) -> StyledLine {
        switch state.mode {
        case .filter:
            let value = state.activeList.map { state.cursor($0).filter } ?? ""
            var l = StyledLine("/", .input)
            l.append(value + "▏", .input)
            l.append("   Enter keeps, Esc clears", .dim)
            return l.fitted(to: width, padRole: .status)
        default:
            if let s = state.status {
                let role: Role = s.kind == .error ? .statusError : (s.kind == .ok ? .statusOK : .status)
                return StyledLine(" " + s.text, role).fitted(to: width, padRole: role)
            }
            let hints = " ? help  1-7 panels  Tab next  / filter  s sort  Enter open  Esc back  q quit  d detach"
            return StyledLine(hints, .status).fitted(to: width, padRole: .status)
        }
    }

    static func overlay(state: ConsoleState, width: Int, height: Int) -> [StyledLine]? {
        let boxWidth = min(width - 2, 72)
        switch state.mode {
        case .normal, .filter: return nil
        case .help:
            var body = HelpView.lines(for: state.panel)
            let room = max(1, height - 2)
            let top = min(max(0, state.cursor(.help).top), max(0, body.count - room))
            body = Array(body.dropFirst(top).prefix(room))
            return Overlay.box(title: "Keys — ↑↓ scroll, any other key closes", lines: body, width: boxWidth)
        case let .confirm(c):
            let wrapped = wrap(c.question, width: boxWidth - 4).map { StyledLine($0, .overlay) }
            return Overlay.box(title: "Confirm", lines: wrapped + [StyledLine("", .overlay), StyledLine("y = yes    n / Esc = no", .overlayTitle)],
                               width: boxWidth)
        case let .waiting(text):
            return Overlay.box(title: "Please wait", lines: [StyledLine(text, .overlay)], width: boxWidth)
        case let .form(f):
            var lines: [StyledLine] = []
            for (i, field) in f.fields.enumerated() {
                lines.append(StyledLine(field.label, i == f.focus ? .overlayTitle : .overlay))
                let shown = field.hidden ? String(repeating: "•", count: field.value.count) : field.value
                let mark = i == f.focus ? "▏" : ""
                var input = StyledLine("  ", .overlay)
                input.append(DisplayWidth.fit(shown + mark, to: max(1, boxWidth - 8)), .input)
                lines.append(input)
            }
            if let e = f.error { lines.append(StyledLine(e, .statusError)) }
            lines.append(StyledLine("Tab / ↑↓ move, Enter next / done, Esc cancels", .overlay))
            return Overlay.box(title: f.title, lines: lines, width: boxWidth)
        }
    }

    /// Greedy word wrap by display width.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var cur = ""
        for word in text.split(separator: " ") {
            let w = String(word)
            if cur.isEmpty { cur = w } else if DisplayWidth.width(of: cur + " " + w) <= width { cur += " " + w } else { lines.append(cur); cur = w }
        }
        if !cur.isEmpty { lines.append(cur) }
        return lines.isEmpty ? [""] : lines.flatMap { DisplayWidth.width(of: $0) > width ? [DisplayWidth.truncate($0, to: width)] : [$0] }
    }
}
