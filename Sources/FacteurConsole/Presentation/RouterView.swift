import FacteurCore
/// Panel 6: the port-forward and DNS checklist, lines as the backend rendered them.
enum RouterView {
    static func marker(_ s: RouterCheckLine.Status) -> (String, Role) {
        switch s {
        case .ok: return ("[ ok ] ", .ok)
        case .warning: return ("[warn] ", .warning)
        case .failed: return ("[FAIL] ", .danger)
        case .info: return ("       ", .dim)
        case .pending: return ("[ .. ] ", .dim)
        }
    }

    static func render(state: ConsoleState, width: Int, height: Int) -> [StyledLine] {
        let lines = state.router.value ?? []
        let failed = lines.filter { $0.status == .failed }.count
        let warn = lines.filter { $0.status == .warning }.count
        let detail: String
        switch state.router {
        case .loaded: detail = "\(failed) failed, \(warn) warnings — r runs the checks again"
        default: detail = state.router.statusText
        }
        var out = [PanelTitle.line("Router and DNS", detail: detail, cursor: nil, width: width)]
        let rows = height - 1
        let top = min(max(0, state.cursor(.router).top), max(0, lines.count - rows))
        for l in lines.dropFirst(top).prefix(rows) {
            let (m, role) = marker(l.status)
            var s = StyledLine(m, role)
            s.append(l.text, l.status == .info ? .dim : .normal)
            out.append(s.fitted(to: width, padRole: .normal))
        }
        while out.count < height { out.append(StyledLine().fitted(to: width)) }
        return out
    }
}
