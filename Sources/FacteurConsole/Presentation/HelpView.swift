/// The `?` overlay: generated from the key table, for the current panel.
enum HelpView {
    static func lines(for panel: Panel) -> [StyledLine] {
        var out: [StyledLine] = []
        let bindings = KeyTable.bindings(for: panel)
        let panelOnes = bindings.filter { $0.panels != nil }
        let global = bindings.filter { $0.panels == nil }
        if !panelOnes.isEmpty {
            out.append(StyledLine(panel.title + " panel", .overlayTitle))
            for b in panelOnes { out.append(line(b)) }
            out.append(StyledLine("", .overlay))
        }
        out.append(StyledLine("Everywhere", .overlayTitle))
        for b in global { out.append(line(b)) }
        out.append(StyledLine("", .overlay))
        out.append(StyledLine("Every change asks for confirmation (y / n).", .overlay))
        return out
    }

    private static func line(_ b: KeyBinding) -> StyledLine {
        var l = StyledLine("  " + DisplayWidth.fit(b.keyLabel, to: 18), .accent)
        l.append(b.help, .overlay)
        return l
    }
}
