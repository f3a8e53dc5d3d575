/// Draws a box over already rendered lines (help, confirmations, forms).
enum Overlay {
    /// A framed box of `lines`, `width` wide (including the frame).
    static func box(title: String, lines: [StyledLine], width: Int) -> [StyledLine] {
        let inner = max(1, width - 4)
        var out: [StyledLine] = []
        let t = DisplayWidth.truncate(" " + title + " ", to: max(0, width - 4))
        out.append(StyledLine([.init("┌─", .overlay), .init(t, .overlayTitle),
                               .init(String(repeating: "─", count: max(0, width - 3 - DisplayWidth.width(of: t))) + "┐", .overlay)]))
        for l in lines {
            var row = StyledLine("│ ", .overlay)
            row.segments += l.fitted(to: inner, padRole: .overlay).segments
            row.append(" │", .overlay)
            out.append(row)
        }
        out.append(StyledLine("└" + String(repeating: "─", count: max(0, width - 2)) + "┘", .overlay))
        return out
    }

    /// `base` with `box` laid over it, centred.
    static func place(_ box: [StyledLine], over base: [StyledLine], width: Int) -> [StyledLine] {
        guard !box.isEmpty, !base.isEmpty else { return base }
        let boxWidth = box.map(\.width).max() ?? 0
        let left = max(0, (width - boxWidth) / 2)
        let top = max(0, (base.count - box.count) / 2)
        var out = base
        for (i, b) in box.enumerated() where top + i < out.count {
            let row = out[top + i]
            var l = row.slice(from: 0, to: left)
            l.segments += b.segments
            l.segments += row.slice(from: left + boxWidth, to: width).segments
            out[top + i] = l.fitted(to: width)
        }
        return out
    }
}

extension StyledLine {
    /// The cells from column `from` up to `to`; a wide character cut in half becomes a space.
    func slice(from: Int, to: Int) -> StyledLine {
        var out = StyledLine()
        var col = 0
        for seg in segments {
            var piece = ""
            for ch in seg.text {
                let w = DisplayWidth.width(of: ch)
                let start = col, end = col + w
                col = end
                if end <= from || start >= to { continue }
                if start >= from && end <= to { piece.append(ch) } else { piece += String(repeating: " ", count: min(end, to) - max(start, from)) }
            }
            if !piece.isEmpty { out.append(piece, seg.role) }
        }
        let missing = (to - from) - out.width
        if missing > 0 { out.append(String(repeating: " ", count: missing), segments.last?.role ?? .normal) }
        return out
    }
}
