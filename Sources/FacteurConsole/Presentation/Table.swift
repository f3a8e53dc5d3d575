/// Lays out a table to a width: fixed columns keep their width, flexible ones share the rest.
public struct Table: Sendable {
    public struct Column: Sendable {
        public var title: String
        public var width: Int
        /// Flexible columns share the leftover space (their `width` is a minimum).
        public var flex: Bool
        public var alignRight: Bool
        public init(_ title: String, width: Int, flex: Bool = false, alignRight: Bool = false) {
            self.title = title; self.width = width; self.flex = flex; self.alignRight = alignRight
        }
    }

    public var columns: [Column]
    /// Column that is the sort key (marked in the header), if any.
    public var sortColumn: Int?

    public init(_ columns: [Column], sortColumn: Int? = nil) { self.columns = columns; self.sortColumn = sortColumn }

    /// Widths that fill `total` columns (one space between columns).
    public func widths(total: Int) -> [Int] {
        let gaps = max(0, columns.count - 1)
        let fixed = columns.reduce(0) { $0 + $1.width } + gaps
        var w = columns.map(\.width)
        let flexIdx = columns.indices.filter { columns[$0].flex }
        let spare = total - fixed
        if spare > 0, !flexIdx.isEmpty {
            let each = spare / flexIdx.count
            var extra = spare % flexIdx.count
            for i in flexIdx { w[i] += each + (extra > 0 ? 1 : 0); if extra > 0 { extra -= 1 } }
        }
        return w
    }

    public func header(width total: Int) -> StyledLine {
        let ws = widths(total: total)
        var cells: [String] = []
        for (i, c) in columns.enumerated() {
            let title = (i == sortColumn) ? c.title + "▾" : c.title
            cells.append(DisplayWidth.fit(title, to: ws[i], alignRight: c.alignRight))
        }
        return StyledLine(cells.joined(separator: " "), .header).fitted(to: total)
    }

    /// One row; `roles` colours individual cells (missing = `role`).
    public func row(_ values: [String], width total: Int, role: Role = .normal, roles: [Int: Role] = [:]) -> StyledLine {
        let ws = widths(total: total)
        var line = StyledLine()
        for (i, c) in columns.enumerated() {
            if i > 0 { line.append(" ", role) }
            let v = i < values.count ? values[i] : ""
            line.append(DisplayWidth.fit(v, to: ws[i], alignRight: c.alignRight), roles[i] ?? role)
        }
        return line.fitted(to: total)
    }
}
