import Foundation

/// Colours and attributes per role. Themes are text files (see `ThemeParser`) chosen by name.
public struct Theme: Sendable, Equatable {
    public enum Color: Sendable, Equatable, Hashable {
        /// The terminal's own foreground or background.
        case terminalDefault
        /// 0–7 basic, 8–15 bright, 16–255 the xterm 256-colour cube and greys.
        case index(UInt8)
    }

    public enum Attribute: String, Sendable, CaseIterable, Hashable {
        case bold, dim, underline, reverse, standout, italic
    }

    public struct Style: Sendable, Equatable {
        public var foreground: Color
        public var background: Color
        public var attributes: Set<Attribute>
        public init(foreground: Color = .terminalDefault, background: Color = .terminalDefault, attributes: Set<Attribute> = []) {
            self.foreground = foreground; self.background = background; self.attributes = attributes
        }
    }

    public var name: String
    public var styles: [Role: Style]

    public init(name: String, styles: [Role: Style]) { self.name = name; self.styles = styles }

    /// The style of a role; roles a theme leaves out look as in `monochrome`.
    public func style(for role: Role) -> Style {
        styles[role] ?? Self.monochrome.styles[role] ?? Style()
    }

    /// Attributes only, for terminals without colour or when NO_COLOR is set.
    public static let monochrome = Theme(name: "monochrome", styles: [
        .normal: Style(), .title: Style(attributes: [.reverse, .bold]), .tab: Style(attributes: [.reverse]),
        .tabActive: Style(attributes: [.bold, .underline]), .header: Style(attributes: [.bold, .underline]),
        .selected: Style(attributes: [.reverse]), .ok: Style(), .warning: Style(attributes: [.bold]),
        .danger: Style(attributes: [.bold, .underline]), .dim: Style(attributes: [.dim]), .accent: Style(attributes: [.bold]),
        .status: Style(attributes: [.reverse]), .statusOK: Style(attributes: [.reverse, .bold]),
        .statusError: Style(attributes: [.reverse, .bold, .underline]), .overlay: Style(attributes: [.reverse]),
        .overlayTitle: Style(attributes: [.reverse, .bold]), .input: Style(attributes: [.underline]), .chart: Style(),
    ])

    /// The same theme without colours (attributes kept; a role left with none gets monochrome's).
    public func withoutColours() -> Theme {
        var out: [Role: Style] = [:]
        for role in Role.allCases {
            let s = style(for: role)
            let hadColour = s.foreground != .terminalDefault || s.background != .terminalDefault
            out[role] = (hadColour && s.attributes.isEmpty) ? Self.monochrome.style(for: role) : Style(attributes: s.attributes)
        }
        return Theme(name: name + " (no colour)", styles: out)
    }

    /// Colours a terminal with `count` colours can show: beyond 8, bright colours become the basic
    /// ones and cube colours the nearest basic one. A grey foreground becomes the terminal's own
    /// (black or white could vanish on one background or the other).
    public static func reduce(_ c: Color, toColours count: Int, foreground: Bool = true) -> Color {
        guard case let .index(i) = c, Int(i) >= count else { return c }
        if foreground && (i == 8 || i >= 232) { return .terminalDefault }
        if i < 16 { return .index(i % 8) }
        return .index(nearestBasic(i))
    }

    /// Nearest of the 8 basic colours to an xterm 256-palette entry (16–255).
    static func nearestBasic(_ i: UInt8) -> UInt8 {
        let (r, g, b): (Int, Int, Int)
        if i >= 232 {
            let v = 8 + Int(i - 232) * 10
            (r, g, b) = (v, v, v)
        } else {
            let n = Int(i) - 16
            let level = [0, 95, 135, 175, 215, 255]
            (r, g, b) = (level[n / 36], level[(n / 6) % 6], level[n % 6])
        }
        // Basic colour bit order: 1 red, 2 green, 4 blue.
        var best: UInt8 = 0
        var bestDistance = Int.max
        for k in 0..<8 {
            let kr = (k & 1) != 0 ? 205 : 0, kg = (k & 2) != 0 ? 205 : 0, kb = (k & 4) != 0 ? 205 : 0
            let d = (r - kr) * (r - kr) + (g - kg) * (g - kg) + (b - kb) * (b - kb)
            if d < bestDistance { bestDistance = d; best = UInt8(k) }
        }
        return best
    }
}
