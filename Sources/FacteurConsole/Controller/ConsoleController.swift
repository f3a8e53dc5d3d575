import Foundation
import FacteurCore

/// Keys in, effects out: the console's state machine. The loop feeds it keys and backend answers
/// and carries out the effects it returns; nothing here touches curses or the backend.
extension ConsoleState {
    public mutating func handle(_ key: Key, model: ConsoleModel, now: Date) -> [ConsoleEffect] {
        // Ctrl-C always leads to the quit question, whatever is open (and keeps it open).
        if key == .interrupt, mode != .normal {
            if case let .confirm(c) = mode, c.onYes == .quit { return [] }
            if case .filter = mode, let list = activeList { updateCursor(list) { $0.filter = "" } }
            mode = .normal
            return perform(.quit, model: model, now: now)
        }
        switch mode {
        case .normal:
            guard let action = KeyTable.action(for: key, in: panel) else { return [] }
            if action != .redraw { status = nil }
            return perform(action, model: model, now: now)
        case let .filter(list, _):
            return handleFilterKey(key, list: list, model: model, now: now)
        case var .form(form):
            return handleFormKey(key, form: &form)
        case let .confirm(c):
            if key == .char("y") || key == .char("Y") {
                mode = .normal
                switch c.onYes {
                case .quit: return [.quit]
                case let .command(cmd):
                    status = Status("Working…", .info)
                    return [.perform(cmd)]
                }
            }
            mode = .normal
            status = Status("Cancelled.", .info)
            return []
        case .help:
            switch key {
            case .up, .char("k"): updateCursor(.help) { $0.top = max(0, $0.top - 1) }
            case .down, .char("j"):
                let n = HelpView.lines(for: panel).count
                updateCursor(.help) { $0.top = min($0.top + 1, n) }
            default: mode = .normal
            }
            return []
        case .waiting:
            if key == .escape || key == .interrupt { mode = .normal; status = Status("Cancelled.", .info) }
            return []
        }
    }

    /// What one action does in the current panel.
    public mutating func perform(_ action: ConsoleAction, model: ConsoleModel, now: Date) -> [ConsoleEffect] {
        switch action {
        case let .showPanel(p): return enter(p)
        case .nextPanel: return enter(panel.next)
        case .previousPanel: return enter(panel.previous)
        case .help:
            updateCursor(.help) { $0.top = 0 }
            mode = .help
            return []
        case .filter:
            guard let list = activeList, list != .message, list != .router else { return [] }
            mode = .filter(list, previous: cursor(list).filter)
            return []
        case .cycleSort:
            guard let list = activeList else { return [] }
            updateCursor(list) { $0.sortColumn += 1 }
            return []
        case .up: return move(-1, model: model, now: now)
        case .down: return move(1, model: model, now: now)
        case .pageUp: return move(-pageHeight, model: model, now: now)
        case .pageDown: return move(pageHeight, model: model, now: now)
        case .home: return move(Int.min / 2, model: model, now: now)
        case .end: return move(Int.max / 2, model: model, now: now)
        case .open: return open()
        case .back: return back()
        case .quit:
            // Leaving a server that runs on its own needs no question; stopping one does.
            if model.attachment?.mode == .attached { return [.quit] }
            mode = .confirm(Confirmation(question: "Quit Facteur? The mail server stops too: open connections are closed. (d detaches instead: the server keeps running.)", onYes: .quit))
            return []
        case .detach:
            return [.detach]
        case .redraw: return [.repaint]
        case .closeConnection:
            guard let c = selectedConnection(model: model, now: now) else { return nothing("No connection selected.") }
            let who = c.user.map { ", user \($0)" } ?? ""
            mode = .confirm(Confirmation(
                question: "Close connection \(c.info.id) from \(c.info.remoteAddress) (\(c.info.service.rawValue.uppercased())\(who))?",
                onYes: .command(.closeConnection(c.info.id))))
            return []
        case .banSelectedAddress:
            let spec = RejectionsView.spec(model: model)
            guard let r = spec.selected(RejectionsView.items(model: model, state: self), cursor: cursor(.rejections)) else {
                return nothing("No rejection selected.")
            }
            mode = .form(.addBan(address: r.rejection.remoteAddress, reason: r.rejection.rule + ": " + r.rejection.reason))
            return []
        case .addBan:
            mode = .form(.addBan())
            return []
        case .unban:
            guard let b = selectedBan(model: model, now: now) else { return nothing("No ban selected.") }
            mode = .confirm(Confirmation(question: "Lift the ban on \(b.network) (\(b.reason))?", onYes: .command(.unban(network: b.network))))
            return []
        case .extendBan:
            guard let b = selectedBan(model: model, now: now) else { return nothing("No ban selected.") }
            guard b.expires != nil else { return nothing("\(b.network) is banned permanently already.") }
            mode = .form(.extendBan(network: b.network))
            return []
        case .makeBanPermanent:
            guard let b = selectedBan(model: model, now: now) else { return nothing("No ban selected.") }
            guard b.expires != nil else { return nothing("\(b.network) is banned permanently already.") }
            mode = .confirm(Confirmation(question: "Make the ban on \(b.network) permanent?", onYes: .command(.makeBanPermanent(network: b.network))))
            return []
        case .addUser:
            mode = .form(.addUser())
            return []
        case .setPassword:
            guard let user = currentUser() else { return nothing("Select a user first.") }
            mode = .form(.setPassword(user: user))
            return []
        case .deleteUser:
            guard let user = currentUser() else { return nothing("Select a user first.") }
            mode = .waiting("Asking the server what happens to the mail of \(user)…")
            return [.load(.deletionNotice(user: user))]
        case .rerunRouter:
            router = .loading
            status = Status("Running the router and DNS checks…", .info)
            return [.load(.rerunRouter)]
        }
    }

    /// Folds a backend answer into the state (and the model, for bans and listeners).
    public mutating func receive(_ completion: Completion, model: inout ConsoleModel) -> [ConsoleEffect] {
        switch completion {
        case let .listeners(l): model.replaceListeners(l)
        case let .bans(b): model.replaceBans(b)
        case let .mailboxUsers(r): mailbox.users = Self.loadable(r)
        case let .folders(user, r):
            if mailbox.stack.contains(.folders(user: user)) { mailbox.folders = Self.loadable(r) }
        case let .messages(user, folder, r):
            if mailbox.stack.contains(.messages(user: user, folder: folder)) { mailbox.messages = Self.loadable(r) }
        case let .message(user, folder, id, r):
            if mailbox.level == .message(user: user, folder: folder, id: id) { mailbox.message = Self.loadable(r) }
        case let .router(lines):
            router = .loaded(lines)
            if status?.text.hasPrefix("Running the router") == true { status = Status("Router and DNS checks done.", .ok) }
        case let .deletionNotice(user, text):
            guard case .waiting = mode else { return [] }
            mode = .confirm(Confirmation(question: "Delete the user \(user)? \(text)", onYes: .command(.deleteUser(address: user))))
        case let .performed(cmd, result):
            status = Status(result.message, result.ok ? .ok : .error)
            switch cmd {
            case .ban, .unban, .extendBan, .makeBanPermanent: return [.load(.bans)]
            case .addUser, .setPassword: return [.load(.mailboxUsers)]
            case .deleteUser:
                mailbox.stack = [.users]
                return [.load(.mailboxUsers)]
            case .closeConnection: return []
            }
        }
        return []
    }

    // MARK: - Selection helpers

    public func selectedConnection(model: ConsoleModel, now: Date) -> LiveConnection? {
        ConnectionsView.spec(model: model, now: now).selected(ConnectionsView.items(model: model, state: self, now: now), cursor: cursor(.connections))
    }

    public func selectedBan(model: ConsoleModel, now: Date) -> BanInfo? {
        BlacklistView.spec(now: now).selected(BlacklistView.items(model: model, state: self, now: now), cursor: cursor(.blacklist))
    }

    /// The user selected in the users list, or whose folders are open.
    func currentUser() -> String? {
        switch mailbox.level {
        case .users:
            return MailboxesView.usersSpec().selected(MailboxesView.users(self), cursor: cursor(.users))?.address
        case let .folders(u), let .messages(u, _), let .message(u, _, _): return u
        }
    }

    // MARK: - Private

    private mutating func nothing(_ why: String) -> [ConsoleEffect] {
        status = Status(why, .info)
        return []
    }

    private mutating func enter(_ p: Panel) -> [ConsoleEffect] {
        panel = p
        switch p {
        case .blacklist: return [.load(.bans)]
        case .mailboxes:
            if mailbox.level == .users { mailbox.users = mailbox.users.value.map { .loaded($0) } ?? .loading; return [.load(.mailboxUsers)] }
            return []
        case .router:
            if router == .idle { router = .loading; return [.load(.router)] }
            return []
        case .overview: return [.load(.listeners)]
        case .connections, .rejections, .log: return []
        }
    }

    /// Identities of the rows of an identified list, or nil for the others.
    private func ids(of list: ListID, model: ConsoleModel, now: Date) -> [String]? {
        switch list {
        case .connections: return ConnectionsView.spec(model: model, now: now).ids(ConnectionsView.items(model: model, state: self, now: now))
        case .rejections: return RejectionsView.spec(model: model).ids(RejectionsView.items(model: model, state: self))
        case .blacklist: return BlacklistView.spec(now: now).ids(BlacklistView.items(model: model, state: self, now: now))
        case .users: return MailboxesView.usersSpec().ids(MailboxesView.users(self))
        case .folders: return MailboxesView.foldersSpec().ids(MailboxesView.folders(self))
        case .messages: return MailboxesView.messagesSpec().ids(MailboxesView.messages(self))
        case .log, .message, .router, .help: return nil
        }
    }

    private func count(of list: ListID, model: ConsoleModel, now: Date) -> Int {
        switch list {
        case .log: return LogView.items(model: model, state: self).count
        case .message:
            guard let m = mailbox.message.value else { return 0 }
            return MailboxesView.messageLines(m, showBodies: showBodies, width: pageWidth).count
        case .router: return router.value?.count ?? 0
        case .help: return HelpView.lines(for: panel).count
        default: return ids(of: list, model: model, now: now)?.count ?? 0
        }
    }

    private mutating func move(_ delta: Int, model: ConsoleModel, now: Date) -> [ConsoleEffect] {
        guard let list = activeList else { return [] }
        let n = count(of: list, model: model, now: now)
        let h = pageHeight
        switch list {
        case .message, .router, .help:
            // Text views scroll; there is no selection.
            updateCursor(list) { c in
                let maxTop = max(0, n - (h + 2))
                let t = min(max(0, c.top), maxTop)
                c.top = min(max(0, t + max(-n, min(n, delta))), maxTop)
            }
        case .log:
            updateCursor(list) { $0.move(by: delta, count: n, height: h) }
        default:
            let rows = ids(of: list, model: model, now: now) ?? []
            updateCursor(list) { $0.move(by: delta, ids: rows, height: h) }
        }
        return []
    }

    private mutating func open() -> [ConsoleEffect] {
        guard panel == .mailboxes else { return [] }
        switch mailbox.level {
        case .users:
            guard let u = currentUser() else { return [] }
            mailbox.stack.append(.folders(user: u))
            mailbox.folders = .loading
            cursors[.folders] = ListCursor()
            return [.load(.folders(user: u))]
        case let .folders(u):
            guard let f = MailboxesView.foldersSpec().selected(MailboxesView.folders(self), cursor: cursor(.folders)) else { return [] }
            mailbox.stack.append(.messages(user: u, folder: f.name))
            mailbox.messages = .loading
            cursors[.messages] = ListCursor()
            return [.load(.messages(user: u, folder: f.name))]
        case let .messages(u, folder):
            guard let m = MailboxesView.messagesSpec().selected(MailboxesView.messages(self), cursor: cursor(.messages)) else { return [] }
            mailbox.stack.append(.message(user: u, folder: folder, id: m.id))
            mailbox.message = .loading
            cursors[.message] = ListCursor()
            return [.load(.message(user: u, folder: folder, id: m.id))]
        case .message:
            return []
        }
    }

    private mutating func back() -> [ConsoleEffect] {
        if let list = activeList, !cursor(list).filter.isEmpty {
            updateCursor(list) { $0.filter = ""; $0.selected = 0; $0.top = 0; $0.selectedID = nil }
            return []
        }
        if panel == .mailboxes, mailbox.stack.count > 1 {
            mailbox.stack.removeLast()
            if mailbox.level == .users { return [.load(.mailboxUsers)] }
        }
        return []
    }

    private mutating func handleFilterKey(_ key: Key, list: ListID, model: ConsoleModel, now: Date) -> [ConsoleEffect] {
        switch key {
        case .enter:
            mode = .normal
        case .escape, .interrupt:
            updateCursor(list) { $0.filter = "" }
            mode = .normal
        case .backspace, .delete:
            updateCursor(list) { if !$0.filter.isEmpty { $0.filter.removeLast() }; $0.selected = 0; $0.top = 0 }
        case let .char(c):
            updateCursor(list) { if $0.filter.count < ConsoleLimits.inputLength { $0.filter.append(c) }; $0.selected = 0; $0.top = 0 }
        case .up, .down, .pageUp, .pageDown:
            let a: ConsoleAction = key == .up ? .up : key == .down ? .down : key == .pageUp ? .pageUp : .pageDown
            return perform(a, model: model, now: now)
        default:
            break
        }
        return []
    }

    private mutating func handleFormKey(_ key: Key, form: inout Form) -> [ConsoleEffect] {
        let last = form.fields.count - 1
        switch key {
        case .escape, .interrupt:
            mode = .normal
            status = Status("Cancelled.", .info)
            return []
        case .tab, .down: form.focus = min(last, form.focus + 1)
        case .backTab, .up: form.focus = max(0, form.focus - 1)
        case .backspace, .delete:
            if !form.fields[form.focus].value.isEmpty { form.fields[form.focus].value.removeLast() }
        case let .char(c):
            if form.fields[form.focus].value.count < ConsoleLimits.inputLength { form.fields[form.focus].value.append(c) }
        case .enter:
            if form.focus < last { form.focus += 1; break }
            form.error = nil
            if let confirmation = form.submit() {
                mode = .confirm(confirmation)
                return []
            }
        default:
            break
        }
        mode = .form(form)
        return []
    }

    private static func loadable<T>(_ r: Result<T, LoadError>) -> Loadable<T> {
        switch r {
        case let .success(v): return .loaded(v)
        case let .failure(e): return .failed(e.message)
        }
    }
}

extension Array {
    func element(at i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
