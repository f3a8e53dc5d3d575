import FacteurCore
import Foundation

/// Panel 5: users → folders → messages → one message. Read-only: browsing changes no flag.
enum MailboxesView {
    static func usersSpec() -> ListSpec<MailboxUserSummary> {
        ListSpec(
            table: Table([
                .init("User", width: 20, flex: true), .init("Folders", width: 7, alignRight: true),
                .init("Messages", width: 9, alignRight: true), .init("Unread", width: 7, alignRight: true),
                .init("Size / quota", width: 28, alignRight: true),
            ]),
            cells: { u in [u.address, "\(u.folders)", "\(u.messages)", "\(u.unread)", sizeAndQuota(u)] },
            sorts: [
                .init(column: 0, less: { $0.address < $1.address }),
                .init(column: 4, less: { $0.size > $1.size }),
                .init(column: 2, less: { $0.messages > $1.messages }),
                .init(column: 3, less: { $0.unread > $1.unread }),
            ],
            identity: { $0.address })
    }

    static func foldersSpec() -> ListSpec<FolderSummary> {
        ListSpec(
            table: Table([
                .init("Folder", width: 20, flex: true), .init("Messages", width: 9, alignRight: true),
                .init("Unread", width: 7, alignRight: true), .init("Size", width: 10, alignRight: true),
            ]),
            cells: { f in [f.name, "\(f.messages)", "\(f.unread)", Formatting.bytes(f.size)] },
            sorts: [
                .init(column: 0, less: { folderRank($0.name) < folderRank($1.name) }),
                .init(column: 3, less: { $0.size > $1.size }),
                .init(column: 1, less: { $0.messages > $1.messages }),
            ],
            identity: { $0.name })
    }

    static func messagesSpec() -> ListSpec<MessageSummary> {
        ListSpec(
            table: Table([
                .init("Date", width: 16), .init("From", width: 14, flex: true), .init("Subject", width: 20, flex: true),
                .init("Size", width: 9, alignRight: true), .init("Flags", width: 5),
            ]),
            cells: { m in
                [m.date.map(Formatting.dateTime) ?? "?", m.from, m.subject, Formatting.bytes(m.size), flagLetters(m.flags)]
            },
            sorts: [
                .init(column: 0, less: { ($0.date ?? .distantPast) > ($1.date ?? .distantPast) }),
                .init(column: 1, less: { $0.from.lowercased() < $1.from.lowercased() }),
                .init(column: 3, less: { $0.size > $1.size }),
                .init(column: 2, less: { $0.subject.lowercased() < $1.subject.lowercased() }),
            ],
            identity: { $0.id })
    }

    /// "1.2 MiB", or with a quota "1.9 GiB / 2.0 GiB 95%" (the fuller of size and message count),
    /// "FULL" at or past the limit.
    static func sizeAndQuota(_ u: MailboxUserSummary) -> String {
        let size = Formatting.bytes(u.size)
        let quota = u.quota
        if let bytes = u.quotaBytes, bytes > 0 {
            let percent = Int((Double(u.size) * 100 / Double(bytes)).rounded(.down))
            return "\(size) / \(Formatting.bytes(bytes)) " + (quota.isFull ? "FULL" : "\(percent)%")
        }
        if let messages = u.quotaMessages {
            return "\(size) \(u.messages)/\(messages) msg" + (quota.isFull ? " FULL" : "")
        }
        return size
    }

    /// Users past their quota, for the Overview (nil until the list is loaded).
    static func overQuotaCount(_ users: [MailboxUserSummary]?) -> Int? {
        users.map { $0.filter(\.quota.isFull).count }
    }

    /// INBOX first, then by name.
    static func folderRank(_ name: String) -> String { name.uppercased() == "INBOX" ? "" : name.lowercased() }

    /// "S" seen, "A" answered, "F" flagged, "D" deleted, "R" draft; "N" when unseen.
    static func flagLetters(_ flags: [String]) -> String {
        let f = Set(flags.map { $0.lowercased() })
        var s = f.contains("\\seen") ? "" : "N"
        if f.contains("\\answered") { s += "A" }
        if f.contains("\\flagged") { s += "F" }
        if f.contains("\\deleted") { s += "D" }
        if f.contains("\\draft") { s += "R" }
        return s
    }

    static func users(_ state: ConsoleState) -> [MailboxUserSummary] {
        usersSpec().visible(state.mailbox.users.value ?? [], cursor: state.cursor(.users))
    }
    static func folders(_ state: ConsoleState) -> [FolderSummary] {
        foldersSpec().visible(state.mailbox.folders.value ?? [], cursor: state.cursor(.folders))
    }
    static func messages(_ state: ConsoleState) -> [MessageSummary] {
        messagesSpec().visible(state.mailbox.messages.value ?? [], cursor: state.cursor(.messages))
    }

    static func render(state: ConsoleState, width: Int, height: Int) -> [StyledLine] {
        let b = state.mailbox
        switch b.level {
        case .users:
            let cursor = state.cursor(.users)
            let all = b.users.value ?? []
            let items = usersSpec().visible(all, cursor: cursor)
            let title = PanelTitle.line("Mailboxes", detail: "\(all.count) users — Enter opens, a adds, P password, D deletes",
                                        cursor: cursor, width: width)
            guard case .loaded = b.users else { return [title] + placeholder(b.users.statusText, width, height - 1) }
            let totals = usersSpec().table.row(
                ["Total (\(items.count))", "\(items.reduce(0) { $0 + $1.folders })", "\(items.reduce(0) { $0 + $1.messages })",
                 "\(items.reduce(0) { $0 + $1.unread })", Formatting.bytes(items.reduce(0) { $0 + $1.size })],
                width: width, role: .header)
            return [title] + usersSpec().render(items, cursor: cursor, width: width, height: height - 2,
                                                rowRole: { $0.quota.isFull ? .danger : .normal }, empty: "no user") + [totals]
        case let .folders(user):
            let cursor = state.cursor(.folders)
            let items = foldersSpec().visible(b.folders.value ?? [], cursor: cursor)
            let title = PanelTitle.line(user, detail: "\(items.count) folders — Esc back", cursor: cursor, width: width)
            guard case .loaded = b.folders else { return [title] + placeholder(b.folders.statusText, width, height - 1) }
            return [title] + foldersSpec().render(items, cursor: cursor, width: width, height: height - 1, empty: "no folder")
        case let .messages(user, folder):
            let cursor = state.cursor(.messages)
            let items = messagesSpec().visible(b.messages.value ?? [], cursor: cursor)
            let title = PanelTitle.line(user + " › " + folder, detail: "\(items.count) messages — Enter reads",
                                        cursor: cursor, width: width)
            guard case .loaded = b.messages else { return [title] + placeholder(b.messages.statusText, width, height - 1) }
            return [title] + messagesSpec().render(items, cursor: cursor, width: width, height: height - 1,
                                                   rowRole: { $0.flags.contains(where: { $0.lowercased() == "\\seen" }) ? .normal : .accent },
                                                   empty: "empty folder")
        case let .message(user, folder, _):
            let title = PanelTitle.line(user + " › " + folder, detail: "message — ↑↓ scroll, Esc back", cursor: nil, width: width)
            guard case let .loaded(m) = b.message else { return [title] + placeholder(b.message.statusText, width, height - 1) }
            let lines = messageLines(m, showBodies: state.showBodies, width: width)
            let rows = height - 1
            let top = min(max(0, state.cursor(.message).top), max(0, lines.count - rows))
            var out = [title] + lines.dropFirst(top).prefix(rows).map { $0.fitted(to: width) }
            while out.count < height { out.append(StyledLine().fitted(to: width)) }
            return out
        }
    }

    /// The whole message as lines: headers, part tree, text (or a note that bodies are hidden).
    /// Header values and body text are wrapped to `width`.
    static func messageLines(_ m: DecodedMessage, showBodies: Bool, width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        // The authentication verdict first: the one thing that says whether From: can be believed.
        if let verdict = m.authenticationVerdict {
            for (i, part) in DisplayWidth.wrap(verdict, to: max(1, width - 12)).enumerated() {
                var l = StyledLine(DisplayWidth.fit(i == 0 ? "Verdict:" : "", to: 12), .header)
                l.append(part, m.authenticationFailed ? .warning : .ok)
                out.append(l)
            }
        }
        for name in DecodedMessage.shownHeaders {
            if let v = m.headers[name] {
                for (i, part) in DisplayWidth.wrap(v, to: max(1, width - 12)).enumerated() {
                    var l = StyledLine(DisplayWidth.fit(i == 0 ? name + ":" : "", to: 12), .header)
                    l.append(part)
                    out.append(l)
                }
            }
        }
        out.append(StyledLine(""))
        out.append(StyledLine("MIME parts", .accent))
        for p in m.parts {
            var text = String(repeating: "  ", count: min(p.depth, 10) + 1) + "└ " + p.mimeType
            if let cs = p.charset { text += " (\(cs))" }
            if let n = p.name { text += " “\(n)”" }
            text += "  " + Formatting.bytes(Int64(p.size))
            out.append(StyledLine(text, .dim))
        }
        out.append(StyledLine(""))
        if showBodies, let text = m.text {
            for line in text { out += DisplayWidth.wrap(line, to: width).map { StyledLine($0) } }
            if m.truncated { out.append(StyledLine("[message cut at \(Formatting.bytes(Int64(ConsoleLimits.messageBytes)))]", .warning)) }
        } else {
            out.append(StyledLine("[bodies hidden: show_bodies = false]", .warning))
        }
        return out
    }

    static func placeholder(_ text: String, _ width: Int, _ height: Int) -> [StyledLine] {
        var out = [StyledLine("  " + text, .dim).fitted(to: width)]
        while out.count < height { out.append(StyledLine().fitted(to: width)) }
        return Array(out.prefix(max(0, height)))
    }
}

extension Loadable {
    var statusText: String {
        switch self {
        case .idle, .loading: return "loading…"
        case let .failed(why): return "could not load: " + why
        case .loaded: return ""
        }
    }
}
