/// How one list is shown: its table, the cells of an item, and the sort orders `s` cycles through.
struct ListSpec<Item> {
    struct Sort {
        /// Table column the sort belongs to (marked in the header).
        var column: Int
        var less: (Item, Item) -> Bool
        /// For long lists: a number to sort by, read once per item instead of comparing items
        /// (10,000 bans per redraw).
        var key: ((Item) -> Double)? = nil

        init(column: Int, less: @escaping (Item, Item) -> Bool) { self.column = column; self.less = less }
        init(column: Int, key: @escaping (Item) -> Double) {
            self.column = column
            self.key = key
            self.less = { key($0) < key($1) }
        }
    }

    var table: Table
    var cells: (Item) -> [String]
    var sorts: [Sort]
    /// Stable identity of an item, so the selection follows it; nil = by position (the Log).
    var identity: ((Item) -> String)? = nil

    func ids(_ items: [Item]) -> [String]? { identity.map { items.map($0) } }

    func selectedIndex(_ items: [Item], cursor: ListCursor) -> Int {
        if let ids = ids(items) { return cursor.index(in: ids) }
        return cursor.clampedSelection(count: items.count)
    }

    func selected(_ items: [Item], cursor: ListCursor) -> Item? {
        items.element(at: selectedIndex(items, cursor: cursor))
    }

    /// Items whose cells contain the filter (case-insensitive), in the cursor's sort order.
    func visible(_ items: [Item], cursor: ListCursor) -> [Item] {
        let needle = cursor.filter.lowercased()
        var out = needle.isEmpty ? items : items.filter { item in
            cells(item).contains { $0.lowercased().contains(needle) }
        }
        if !sorts.isEmpty {
            let sort = sorts[cursor.sortColumn % sorts.count]
            // Stable: ties keep their model order. Sorting positions, not items, keeps a redraw of
            // 10,000 bans from copying (and retaining) every item at every step of the sort.
            var order = Array(out.indices)
            if let key = sort.key {
                let keys = out.map(key)
                order.sort { a, b in keys[a] != keys[b] ? keys[a] < keys[b] : a < b }
            } else {
                out.withUnsafeBufferPointer { items in
                    order.sort { a, b in
                        if sort.less(items[a], items[b]) { return true }
                        if sort.less(items[b], items[a]) { return false }
                        return a < b
                    }
                }
            }
            out = order.map { out[$0] }
        }
        return out
    }

    /// Header plus `height` rows (selected one highlighted), each exactly `width` wide.
    func render(_ items: [Item], cursor: ListCursor, width: Int, height: Int,
                rowRole: (Item) -> Role = { _ in .normal }, cellRoles: (Item) -> [Int: Role] = { _ in [:] },
                empty: String = "(nothing)") -> [StyledLine] {
        var t = table
        if !sorts.isEmpty { t.sortColumn = sorts[cursor.sortColumn % sorts.count].column }
        var lines = [t.header(width: width)]
        let rows = max(0, height - 1)
        if items.isEmpty {
            lines.append(StyledLine("  " + empty, .dim).fitted(to: width))
        } else {
            let sel = selectedIndex(items, cursor: cursor)
            let top = cursor.visibleTop(selectedIndex: sel, count: items.count, height: rows)
            for i in top..<min(items.count, top + rows) {
                let item = items[i]
                if i == sel {
                    lines.append(t.row(cells(item), width: width, role: .selected))
                } else {
                    lines.append(t.row(cells(item), width: width, role: rowRole(item), roles: cellRoles(item)))
                }
            }
        }
        while lines.count < height { lines.append(StyledLine().fitted(to: width)) }
        return Array(lines.prefix(height))
    }
}
