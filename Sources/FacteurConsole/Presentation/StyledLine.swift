/// One row of screen text made of coloured segments. Views produce these; curses draws them.
public struct StyledLine: Sendable, Equatable {
    public struct Segment: Sendable, Equatable {
        public var text: String
        public var role: Role
        public init(_ text: String, _ role: Role = .normal) { self.text = text; self.role = role }
    }

    public var segments: [Segment]

    public init(_ segments: [Segment] = []) { self.segments = segments }
    public init(_ text: String, _ role: Role = .normal) { self.segments = [Segment(text, role)] }

    /// The plain text, as a test or a screen reader would see it.
    public var text: String { segments.map(\.text).joined() }
    public var width: Int { DisplayWidth.width(of: text) }

    public mutating func append(_ text: String, _ role: Role = .normal) { segments.append(Segment(text, role)) }

    /// Cut to `columns` and padded with spaces so every cell of the row is drawn; the pad takes
    /// `padRole` (the role of the last segment when nil, so a selected row stays highlighted).
    public func fitted(to columns: Int, padRole: Role? = nil) -> StyledLine {
        var out: [Segment] = []
        var used = 0
        for seg in segments where used < columns {
            let room = columns - used
            let clean = DisplayWidth.sanitized(seg.text)
            let w = DisplayWidth.width(of: clean)
            if w <= room {
                out.append(Segment(clean, seg.role)); used += w
            } else {
                let cut = DisplayWidth.truncate(clean, to: room)
                out.append(Segment(cut, seg.role)); used += DisplayWidth.width(of: cut)
                break
            }
        }
        if used < columns {
            out.append(Segment(String(repeating: " ", count: columns - used), padRole ?? segments.last?.role ?? .normal))
        }
        return StyledLine(out)
    }

    /// The same text, every segment in `role` (a selected row).
    public func recoloured(_ role: Role) -> StyledLine { StyledLine(segments.map { Segment($0.text, role) }) }
}
