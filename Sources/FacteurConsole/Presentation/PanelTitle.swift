/// The first row of a list panel: name, counts, the active filter.
enum PanelTitle {
    static func line(_ name: String, detail: String, cursor: ListCursor?, width: Int) -> StyledLine {
        var l = StyledLine(" " + name + " ", .accent)
        l.append(" " + detail, .dim)
        if let f = cursor?.filter, !f.isEmpty { l.append("   filter: ", .dim); l.append(f, .warning) }
        return l.fitted(to: width, padRole: .normal)
    }
}
