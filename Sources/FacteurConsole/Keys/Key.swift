/// A key press, decoded from curses `get_wch`.
public enum Key: Hashable, Sendable {
    case char(Character)
    case enter, escape, tab, backTab
    case up, down, left, right, pageUp, pageDown, home, end
    case backspace, delete
    /// Ctrl-C (the terminal is in raw mode, so it arrives as a key, not as SIGINT).
    case interrupt
    /// Ctrl-L.
    case redraw
    case resize

    /// How the help overlay writes it.
    public var label: String {
        switch self {
        case .char(" "): return "Space"
        case let .char(c): return String(c)
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .interrupt: return "Ctrl-C"
        case .redraw: return "Ctrl-L"
        case .resize: return "(resize)"
        }
    }
}
