import Foundation

/// Short human texts for durations, sizes and times shown in the tables.
public enum Formatting {
    /// "45s", "12m05s", "3h07m", "2d04h".
    public static func duration(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds.rounded(.down)))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + two(s % 60) + "s" }
        if s < 86_400 { return "\(s / 3600)h" + two((s % 3600) / 60) + "m" }
        return "\(s / 86_400)d" + two((s % 86_400) / 3600) + "h"
    }

    /// Time left until `expires` at `now`: "1h02m03s", "expired", "permanent".
    public static func countdown(until expires: Date?, now: Date) -> String {
        guard let expires else { return "permanent" }
        let left = Int(expires.timeIntervalSince(now).rounded(.up))
        if left <= 0 { return "expired" }
        let d = left / 86_400, h = (left % 86_400) / 3600, m = (left % 3600) / 60, s = left % 60
        if d > 0 { return "\(d)d" + two(h) + "h" + two(m) + "m" }
        if h > 0 { return "\(h)h" + two(m) + "m" + two(s) + "s" }
        if m > 0 { return "\(m)m" + two(s) + "s" }
        return "\(s)s"
    }

    /// 1023 → "1023 B", 2048 → "2.0 KiB", … GiB.
    public static func bytes(_ value: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = Double(max(0, value))
        var i = 0
        while v >= 1024, i < units.count - 1 { v /= 1024; i += 1 }
        if i == 0 { return "\(Int64(v)) B" }
        return String(format: "%.1f %@", v, units[i])
    }

    /// "14:03:07" in UTC (the server's logs are UTC too).
    public static func clock(_ date: Date) -> String {
        let c = utcCalendar.dateComponents([.hour, .minute, .second], from: date)
        return two(c.hour ?? 0) + ":" + two(c.minute ?? 0) + ":" + two(c.second ?? 0)
    }

    /// "2026-11-29 14:03" in UTC.
    public static func dateTime(_ date: Date) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(c.year ?? 0)-" + two(c.month ?? 0) + "-" + two(c.day ?? 0) + " " + two(c.hour ?? 0) + ":" + two(c.minute ?? 0)
    }

    /// What the admin typed for a ban length.
    public enum TypedDuration: Sendable, Equatable {
        case permanent
        case seconds(TimeInterval)
        /// nil = permanent.
        public var seconds: TimeInterval? { if case let .seconds(s) = self { return s } else { return nil } }
    }

    /// Parses "30m", "2h", "7d", "1w", "90s", a bare number of minutes, or "permanent"/"forever".
    /// nil = not understood.
    public static func parseDuration(_ text: String) -> TypedDuration? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "permanent" || t == "forever" || t == "perm" { return .permanent }
        guard t.count <= 12, let unit = t.last else { return nil }
        let multipliers: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        if let mult = multipliers[unit] {
            guard let n = Double(t.dropLast()), n > 0, n.isFinite else { return nil }
            return .seconds(n * mult)
        }
        guard let n = Double(t), n > 0, n.isFinite else { return nil }
        return .seconds(n * 60)
    }

    private static let utcCalendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        if let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) { c.timeZone = utc }
        return c
    }()

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
