/// The seven panels, in the order of their number keys.
public enum Panel: Int, CaseIterable, Sendable, Hashable {
    case overview = 1, connections, rejections, blacklist, mailboxes, router, log

    public var title: String {
        switch self {
        case .overview: return "Overview"
        case .connections: return "Connections"
        case .rejections: return "Rejections"
        case .blacklist: return "Blacklist"
        case .mailboxes: return "Mailboxes"
        case .router: return "Router"
        case .log: return "Log"
        }
    }

    /// For narrow terminals.
    public var shortTitle: String {
        switch self {
        case .overview: return "Over"
        case .connections: return "Conn"
        case .rejections: return "Rej"
        case .blacklist: return "Bans"
        case .mailboxes: return "Mail"
        case .router: return "Rtr"
        case .log: return "Log"
        }
    }

    public var next: Panel { Panel(rawValue: rawValue % 7 + 1) ?? .overview }
    public var previous: Panel { Panel(rawValue: (rawValue + 5) % 7 + 1) ?? .overview }
}
