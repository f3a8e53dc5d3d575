import CNcursesw

/// Turns what `wget_wch` returned into a `Key`.
enum KeyDecoder {
    /// `status` is wget_wch's return (OK or KEY_CODE_YES); `code` the character or key code.
    static func key(status: Int32, code: UInt32) -> Key? {
        if status == KEY_CODE_YES {
            switch Int32(bitPattern: code) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_HOME: return .home
            case KEY_END, KEY_LL: return .end
            case KEY_BTAB: return .backTab
            case KEY_BACKSPACE: return .backspace
            case KEY_DC: return .delete
            case KEY_ENTER: return .enter
            case KEY_RESIZE: return .resize
            case KEY_F0 + 1: return .char("?")
            default: return nil
            }
        }
        guard status == OK else { return nil }
        switch code {
        case 3: return .interrupt
        case 8, 127: return .backspace
        case 9: return .tab
        case 10, 13: return .enter
        case 12: return .redraw
        case 27: return .escape
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .char(Character(scalar))
        }
    }
}
