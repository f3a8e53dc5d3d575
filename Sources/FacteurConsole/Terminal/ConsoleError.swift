#if canImport(Glibc)
import Glibc
#endif

public enum ConsoleError: Error, Sendable, CustomStringConvertible {
    case notATerminal
    case cannotStartCurses(String)
    case system(String, Int32)

    public var description: String {
        switch self {
        case .notATerminal: return "the console needs a terminal on standard input and output"
        case let .cannotStartCurses(t): return "cannot start curses for terminal type “\(t)”"
        case let .system(call, e): return "\(call) failed: \(String(cString: strerror(e)))"
        }
    }
}
