/// Selection, scroll, filter and sort of one list. `selected` may exceed the row count
/// (Int.max = "follow the end", used by the Log); views clamp it.
public struct ListCursor: Sendable, Equatable {
    public var selected = 0
    /// The selected item's identity: the selection stays on it while rows come and go
    /// (a new rejection on top must not move `b` to another address). nil = by position.
    public var selectedID: String?
    public var top = 0
    public var filter = ""
    public var sortColumn = 0

    public init(selected: Int = 0) { self.selected = selected }

    public func clampedSelection(count: Int) -> Int { count == 0 ? 0 : min(max(0, selected), count - 1) }

    /// Index of the selected item among `ids` (by identity when it is still there).
    public func index(in ids: [String]) -> Int {
        if let id = selectedID, let i = ids.firstIndex(of: id) { return i }
        return clampedSelection(count: ids.count)
    }

    /// The first visible row so that the selection is on screen.
    public func visibleTop(count: Int, height: Int) -> Int {
        visibleTop(selectedIndex: clampedSelection(count: count), count: count, height: height)
    }

    public func visibleTop(selectedIndex sel: Int, count: Int, height: Int) -> Int {
        guard height > 0, count > height else { return 0 }
        var t = min(max(0, top), count - height)
        if sel < t { t = sel }
        if sel >= t + height { t = sel - height + 1 }
        return t
    }

    public mutating func move(by delta: Int, count: Int, height: Int) {
        guard count > 0 else { selected = 0; top = 0; return }
        selected = min(max(0, clampedSelection(count: count) + delta), count - 1)
        top = visibleTop(count: count, height: height)
    }

    /// Moves among identified items and remembers the identity of the new selection.
    public mutating func move(by delta: Int, ids: [String], height: Int) {
        guard !ids.isEmpty else { selected = 0; top = 0; selectedID = nil; return }
        let current = index(in: ids)
        selected = min(max(0, current + delta), ids.count - 1)
        selectedID = ids[selected]
        top = visibleTop(selectedIndex: selected, count: ids.count, height: height)
    }
}

/// Which list a cursor belongs to.
public enum ListID: Hashable, Sendable {
    case connections, rejections, blacklist, users, folders, messages, message, router, log, help
}
