import Foundation

/// How `runConsole` starts.
public struct ConsoleOptions: Sendable {
    /// Use colours if the terminal has them. Set to false for NO_COLOR (see `coloursWanted`).
    public var colours: Bool
    /// Terminal type; nil = $TERM.
    public var terminalType: String?
    /// How often the screen refreshes with nothing happening (countdowns, durations).
    public var tick: TimeInterval
    /// How often the ban list is fetched again while the Blacklist panel is shown (hit counts).
    public var banRefresh: TimeInterval

    public init(colours: Bool = ConsoleOptions.coloursWanted(), terminalType: String? = nil,
                tick: TimeInterval = 1, banRefresh: TimeInterval = 10) {
        self.colours = colours; self.terminalType = terminalType; self.tick = tick; self.banRefresh = banRefresh
    }

    /// False when NO_COLOR is set to anything non-empty (https://no-color.org).
    public static func coloursWanted(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        (environment["NO_COLOR"] ?? "").isEmpty
    }
}

/// Why the console ended. Only `quit` from a console that started its server stops the server:
/// in every other case the server keeps running (it never dies with a console).
public enum ConsoleExit: Sendable, Equatable {
    /// The admin quit (and confirmed, when that stops the server).
    case quit
    /// The admin pressed `d`: the console ends, the server keeps running.
    case detached
    /// The server went away (stopped, or the connection broke).
    case disconnected(String)
    /// SIGTERM arrived while the console ran.
    case terminated
    /// The terminal went away (hang-up).
    case terminalClosed
}
