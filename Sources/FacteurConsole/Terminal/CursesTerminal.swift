import CNcursesw
#if canImport(Glibc)
import Glibc
#endif

/// The only code that calls curses. One instance, used from one thread.
final class CursesTerminal {
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private var pairs: [Role: (attrs: UInt32, pair: Int16)] = [:]
    private var ended = false
    /// The frame on the screen: an identical frame is not drawn again (a batch of events that
    /// changes nothing visible costs no curses work and no terminal output).
    private var shown: [StyledLine]?
    let colourCount: Int

    /// Starts curses on the given streams (stdin/stdout, or a pseudo-terminal in tests).
    /// `colours` false = monochrome (NO_COLOR, or the caller's choice).
    init(input: UnsafeMutablePointer<FILE>, output: UnsafeMutablePointer<FILE>, terminalType: String?,
         theme: Theme, colours: Bool) throws(ConsoleError) {
        DisplayWidth.ensureUTF8Locale()
        let made: OpaquePointer? = terminalType.map { t in t.withCString { newterm($0, output, input) } } ?? newterm(nil, output, input)
        guard let made else { throw .cannotStartCurses(terminalType ?? "$TERM") }
        screen = made
        _ = set_term(made)
        guard let w = facteur_stdscr() else { throw .cannotStartCurses(terminalType ?? "$TERM") }
        window = w
        raw()
        noecho()
        nonl()
        keypad(w, true)
        nodelay(w, true)
        _ = set_escdelay(25)
        _ = curs_set(0)
        var count = 0
        if colours && has_colors() {
            start_color()
            _ = use_default_colors()
            count = Int(facteur_colors())
        }
        colourCount = count
        apply(theme: count >= 8 ? theme : Self.monochrome(for: theme))
    }

    /// Without colours: the theme itself if it is a monochrome one, else the built-in monochrome.
    static func monochrome(for theme: Theme) -> Theme {
        let coloured = theme.styles.values.contains { $0.foreground != .terminalDefault || $0.background != .terminalDefault }
        return coloured ? Theme.monochrome : theme
    }

    /// One colour pair per role, colours reduced to what the terminal has.
    func apply(theme: Theme) {
        pairs = [:]
        let maxPairs = Int(facteur_color_pairs())
        for (i, role) in Role.allCases.enumerated() {
            let style = theme.style(for: role)
            var attrs: UInt32 = 0
            for a in style.attributes {
                switch a {
                case .bold: attrs |= facteur_a_bold()
                case .dim: attrs |= facteur_a_dim()
                case .underline: attrs |= facteur_a_underline()
                case .reverse: attrs |= facteur_a_reverse()
                case .standout: attrs |= facteur_a_standout()
                case .italic: attrs |= facteur_a_italic()
                }
            }
            var pair: Int16 = 0
            if colourCount >= 8, i + 1 < maxPairs {
                pair = Int16(i + 1)
                init_pair(pair, number(style.foreground, foreground: true), number(style.background, foreground: false))
            }
            pairs[role] = (attrs, pair)
        }
    }

    private func number(_ c: Theme.Color, foreground: Bool) -> Int16 {
        switch Theme.reduce(c, toColours: colourCount, foreground: foreground) {
        case .terminalDefault: return -1
        case let .index(i): return Int16(i)
        }
    }

    var size: (rows: Int, columns: Int) { (Int(facteur_maxy(window)), Int(facteur_maxx(window))) }

    /// Tells curses the terminal has a new size (from the tty's TIOCGWINSZ).
    func resize(rows: Int, columns: Int) {
        shown = nil
        guard rows > 0, columns > 0 else { return }
        _ = resize_term(Int32(rows), Int32(columns))
        _ = wclear(window)
    }

    func repaintAll() {
        shown = nil
        _ = wclear(window)
    }

    /// Draws a frame; each line is already exactly as wide as the screen.
    func draw(_ lines: [StyledLine]) {
        if lines == shown { return }
        shown = lines
        let (rows, columns) = size
        _ = werase(window)
        for (y, line) in lines.prefix(rows).enumerated() {
            var x = 0
            for seg in line.segments where x < columns {
                let style = pairs[seg.role] ?? (0, 0)
                _ = facteur_set_attr(window, style.attrs, style.pair)
                var wide = seg.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                let w = DisplayWidth.width(of: seg.text)
                // The bottom-right cell cannot be written without scrolling: leave it.
                if y == rows - 1, x + w >= columns, !wide.isEmpty { wide.removeLast() }
                _ = wide.withUnsafeBufferPointer { facteur_put_wide(window, Int32(y), Int32(x), $0.baseAddress, Int32($0.count)) }
                x += w
            }
        }
        _ = facteur_set_attr(window, 0, 0)
        _ = wnoutrefresh(window)
        _ = doupdate()
    }

    /// Every key waiting (nodelay), decoded.
    func readKeys(limit: Int = 512) -> [Key] {
        var keys: [Key] = []
        var code: wint_t = 0
        while keys.count < limit {
            let status = wget_wch(window, &code)
            if status == ERR { break }
            if let k = KeyDecoder.key(status: status, code: UInt32(code)) { keys.append(k) }
        }
        return keys
    }

    /// The text curses holds for row `y` (tests read the screen back with this).
    func text(row y: Int) -> String {
        let columns = size.columns
        var buf = [wchar_t](repeating: 0, count: columns + 1)
        let n = buf.withUnsafeMutableBufferPointer { facteur_read_wide(window, Int32(y), 0, $0.baseAddress, Int32(columns)) }
        guard n > 0 else { return "" }
        return String(String.UnicodeScalarView(buf.prefix(Int(n)).compactMap { Unicode.Scalar(UInt32(bitPattern: $0)) }))
    }

    /// Leaves curses and restores the terminal. Safe to call twice.
    func end() {
        guard !ended else { return }
        ended = true
        _ = endwin()
        delscreen(screen)
    }

    deinit { end() }
}
