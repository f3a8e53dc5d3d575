import FacteurCore
import Logging

/// Turns the event stream into log lines (stderr for `serve`, the Log panel for the console).
public struct EventLog: Sendable {
    public let logger: Logger
    public init(logger: Logger) { self.logger = logger }

    public func handle(_ event: ServerEvent) {
        guard let (level, text) = EventLog.line(for: event) else { return }
        logger.log(level: level, "\(text)")
    }

    /// Whether `line(for:)` can give an info-level line: false for the per-command events, which
    /// are most of the stream, so that consumers skip them before formatting anything.
    public static func hasInfoLine(_ event: ServerEvent) -> Bool {
        switch event.kind {
        case .command, .connectionUpdated: return false
        case .log(let level, _): return level >= .info
        default: return true
        }
    }

    /// One human line per event worth logging (commands are too chatty for the default level).
    public static func line(for event: ServerEvent) -> (Logger.Level, String)? {
        switch event.kind {
        case .listenerStarted(let s, let a, let tls):
            return (.notice, "\(s.rawValue.uppercased()) listening on \(a)\(tls ? " (TLS)" : "")")
        case .listenerFailed(let s, let a, let e):
            return (.error, "\(s.rawValue.uppercased()) cannot listen on \(a): \(e)")
        case .connectionOpened(let i):
            return (.info, "\(i.id) \(i.service.rawValue) connect from \(i.remoteAddress):\(i.remotePort)")
        case .connectionClosed(let id, let inB, let outB):
            return (.info, "\(id) closed (\(inB) bytes in, \(outB) out)")
        case .connectionUpdated:
            return nil
        case .command(let id, let s, _, let verb, let code):
            return (.debug, "\(id) \(s.rawValue) \(verb) → \(code)")
        case .rejected(let r):
            var t = "\(r.connection.map { "\($0) " } ?? "")\(r.service.rawValue) \(r.remoteAddress) rejected [\(r.rule)]: \(r.reason)"
            if let s = r.sender { t += " from=<\(s)>" }
            if let rc = r.recipient { t += " to=<\(rc)>" }
            return (.notice, t)
        case .delivered(let d):
            return (.info, "\(d.connection.map { "\($0) " } ?? "")delivered \(d.size) bytes from=<\(d.sender)> to=\(d.recipients.joined(separator: ","))")
        case .authSucceeded(let id, let s, let a, let u):
            return (.info, "\(id) \(s.rawValue) \(a) login \(u)")
        case .authFailed(let id, let s, let a, let u, _):
            return (.notice, "\(id) \(s.rawValue) \(a) failed login for \(u)")
        case .banned(let b):
            return (.notice, "banned \(b.network) [\(b.rule)] \(b.reason)")
        case .unbanned(let n, let why):
            return (.notice, "unbanned \(n) (\(why))")
        case .storage(let s):
            return s.full ? (.error, "disk full: \(s.freeBytes) bytes free in \(s.path)")
                          : (.notice, "disk: \(s.freeBytes) bytes free in \(s.path)")
        case .log(let level, let message):
            let l: Logger.Level
            switch level {
            case .debug: l = .debug
            case .info: l = .info
            case .notice: l = .notice
            case .warning: l = .warning
            case .error: l = .error
            }
            return (l, message)
        }
    }
}
