import FacteurCore
import Foundation

/// Everything about the screen that is not server data: the panel, cursors, dialogs, status.
public struct ConsoleState: Sendable, Equatable {
    public enum Mode: Sendable, Equatable {
        case normal
        /// Typing a filter for a list; `previous` comes back on Esc.
        case filter(ListID, previous: String)
        case form(Form)
        case confirm(Confirmation)
        case help
        /// Waiting for the backend before a confirmation can be asked (deletion notice).
        case waiting(String)
    }

    public struct Status: Sendable, Equatable {
        public enum Kind: Sendable, Equatable { case info, ok, error }
        public var text: String
        public var kind: Kind
        public init(_ text: String, _ kind: Kind) { self.text = text; self.kind = kind }
    }

    public var panel: Panel = .overview
    public var mode: Mode = .normal
    public var status: Status?
    public var cursors: [ListID: ListCursor] = [.log: ListCursor(selected: Int.max)]
    public var mailbox = MailboxBrowser()
    public var router: Loadable<[RouterCheckLine]> = .idle
    public var showBodies: Bool
    /// Rows of the body below the panel's header row (screen rows − title − status − header).
    public var pageHeight: Int = 20
    /// Screen columns (the message view wraps to them).
    public var pageWidth: Int = 80

    public init(showBodies: Bool = true) { self.showBodies = showBodies }

    public func cursor(_ id: ListID) -> ListCursor { cursors[id] ?? ListCursor() }
    public mutating func updateCursor(_ id: ListID, _ change: (inout ListCursor) -> Void) {
        var c = cursors[id] ?? ListCursor()
        change(&c)
        cursors[id] = c
    }

    /// The list that navigation keys move in the current panel.
    public var activeList: ListID? {
        switch panel {
        case .overview: return nil
        case .connections: return .connections
        case .rejections: return .rejections
        case .blacklist: return .blacklist
        case .mailboxes: return mailbox.level.listID
        case .router: return .router
        case .log: return .log
        }
    }
}
