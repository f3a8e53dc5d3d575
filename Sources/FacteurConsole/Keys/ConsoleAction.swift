/// What a key asks for. The key table maps keys to these; the controller performs them.
public enum ConsoleAction: Hashable, Sendable {
    case showPanel(Panel)
    case nextPanel, previousPanel
    case help
    case filter
    case cycleSort
    case up, down, pageUp, pageDown, home, end
    case open, back
    case quit
    case detach
    case redraw
    // Panel actions.
    case closeConnection
    case banSelectedAddress
    case addBan, unban, extendBan, makeBanPermanent
    case addUser, setPassword, deleteUser
    case rerunRouter
}
