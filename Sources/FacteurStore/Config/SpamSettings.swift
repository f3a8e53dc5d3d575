import Foundation

/// `[spam]`: scoring by rspamd over its HTTP protocol before the 250 (optional).
public struct SpamSettings: Sendable, Equatable {
    /// "127.0.0.1:11333" (rspamd's normal worker); nil: no scoring.
    public var rspamd: String?
    /// When rspamd cannot be reached: deliver with a header saying so (false) or answer 451 (true).
    public var tempfailWhenUnreachable = false
    public var timeout: TimeInterval = 15

    public init() {}

    static func read(_ s: TOMLReader.Section, into settings: inout SpamSettings) {
        settings.rspamd = s.string("rspamd") ?? settings.rspamd
        settings.timeout = s.duration("timeout") ?? settings.timeout
        if let unreachable = s.string("unreachable") {
            switch unreachable.lowercased() {
            case "accept": settings.tempfailWhenUnreachable = false
            case "tempfail": settings.tempfailWhenUnreachable = true
            default: s.reader.fail("'unreachable' must be \"accept\" or \"tempfail\"", key: "unreachable", path: s.path)
            }
        }
    }
}
