/// Selection, scroll, filter and sort of one list. `selected` may exceed the row count
/// (Int.max = "follow the end", used by the Log); views clamp it.
public struct ListCursor: Sendable, Equatable {
    public var selected = 0
    public var top = 0
    public var filter = ""
    public var sortColumn = 0

    public init(selected: Int = 0) { self.selected = selected }

    public func clampedSelection(count: Int) -> Int { count == 0 ? 0 : min(max(0, selected), count - 1) }

    /// The first visible row so that the selection is on screen.
    public func visibleTop(count: Int, height: Int) -> Int {
        guard height > 0, count > height else { return 0 }
        let sel = clampedSelection(count: count)
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

    public mutating func moveTo(_ index: Int, count: Int, height: Int) {
        selected = index
        top = visibleTop(count: count, height: height)
    }
}

/// Which list a cursor belongs to.
public enum ListID: Hashable, Sendable {
    case connections, rejections, blacklist, users, folders, messages, message, router, log, help
}
