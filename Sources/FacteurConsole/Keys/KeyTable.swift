/// One line of the key table: the keys, where they work, what they do and the help text.
/// Dispatch and the `?` overlay both read this table, so help cannot drift from behaviour.
public struct KeyBinding: Sendable, Equatable {
    /// nil = every panel.
    public var panels: Set<Panel>?
    public var keys: [Key]
    public var action: ConsoleAction
    public var help: String

    public init(_ keys: [Key], _ action: ConsoleAction, _ help: String, panels: Set<Panel>? = nil) {
        self.keys = keys; self.action = action; self.help = help; self.panels = panels
    }

    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
    public func applies(to panel: Panel) -> Bool { panels?.contains(panel) ?? true }
}

public enum KeyTable {
    private static let lists: Set<Panel> = [.connections, .rejections, .blacklist, .mailboxes, .log]

    /// Panel bindings come first: they win over global ones for the same key.
    public static let bindings: [KeyBinding] = [
        KeyBinding([.char("x")], .closeConnection, "close the selected connection", panels: [.connections]),
        KeyBinding([.char("b")], .banSelectedAddress, "ban the selected address", panels: [.rejections]),
        KeyBinding([.char("b")], .addBan, "add a ban (address, duration, reason)", panels: [.blacklist]),
        KeyBinding([.char("u")], .unban, "lift the selected ban", panels: [.blacklist]),
        KeyBinding([.char("e")], .extendBan, "extend the selected ban", panels: [.blacklist]),
        KeyBinding([.char("p")], .makeBanPermanent, "make the selected ban permanent", panels: [.blacklist]),
        KeyBinding([.char("a")], .addUser, "add a user", panels: [.mailboxes]),
        KeyBinding([.char("P")], .setPassword, "set the selected user's password", panels: [.mailboxes]),
        KeyBinding([.char("D")], .deleteUser, "delete the selected user", panels: [.mailboxes]),
        KeyBinding([.char("r")], .rerunRouter, "run the router and DNS checks again", panels: [.router]),
        KeyBinding([.enter, .right, .char("l")], .open, "open the selected item", panels: [.mailboxes]),
        KeyBinding([.escape, .left, .char("h")], .back, "back / cancel", panels: [.mailboxes]),
        KeyBinding([.char("/")], .filter, "filter the list", panels: lists),
        KeyBinding([.char("s")], .cycleSort, "sort by the next column", panels: [.connections, .rejections, .blacklist, .mailboxes]),

        KeyBinding([.char("1")], .showPanel(.overview), "Overview panel"),
        KeyBinding([.char("2")], .showPanel(.connections), "Connections panel"),
        KeyBinding([.char("3")], .showPanel(.rejections), "Rejections panel"),
        KeyBinding([.char("4")], .showPanel(.blacklist), "Blacklist panel"),
        KeyBinding([.char("5")], .showPanel(.mailboxes), "Mailboxes panel"),
        KeyBinding([.char("6")], .showPanel(.router), "Router panel"),
        KeyBinding([.char("7")], .showPanel(.log), "Log panel"),
        KeyBinding([.tab], .nextPanel, "next panel"),
        KeyBinding([.backTab], .previousPanel, "previous panel"),
        KeyBinding([.up, .char("k")], .up, "move up"),
        KeyBinding([.down, .char("j")], .down, "move down"),
        KeyBinding([.pageUp], .pageUp, "page up"),
        KeyBinding([.pageDown, .char(" ")], .pageDown, "page down"),
        KeyBinding([.home, .char("g")], .home, "first row"),
        KeyBinding([.end, .char("G")], .end, "last row"),
        KeyBinding([.escape], .back, "clear the filter / back"),
        KeyBinding([.char("?")], .help, "this help"),
        KeyBinding([.redraw], .redraw, "redraw the screen"),
        KeyBinding([.char("q"), .interrupt], .quit, "quit (stops the mail server when this console started it)"),
        KeyBinding([.char("d")], .detach, "detach: quit the console, leave the server running"),
    ]

    /// The action a key triggers in a panel, or nil.
    public static func action(for key: Key, in panel: Panel) -> ConsoleAction? {
        for b in bindings where b.applies(to: panel) && b.keys.contains(key) { return b.action }
        return nil
    }

    /// The bindings that work in `panel`, panel-specific first, minus keys a panel binding shadows.
    public static func bindings(for panel: Panel) -> [KeyBinding] {
        var seen = Set<Key>()
        var out: [KeyBinding] = []
        for b in bindings where b.applies(to: panel) {
            let live = b.keys.filter { !seen.contains($0) }
            for k in b.keys { seen.insert(k) }
            guard !live.isEmpty else { continue }
            var shown = b
            shown.keys = live
            out.append(shown)
        }
        return out
    }
}
