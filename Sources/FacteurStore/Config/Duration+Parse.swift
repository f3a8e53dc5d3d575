import Foundation

/// Durations in the configuration: "90s", "5m", "24h", "7d", "2w", or a bare number of seconds.
public enum DurationText {
    public static func parse(_ text: String) -> TimeInterval? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !t.isEmpty else { return nil }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 604800)]
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            let number = t.dropLast(suffix.count)
            // "ms" must not be read as "m" + "s".
            if suffix == "s" && number.hasSuffix("m") { continue }
            guard let v = Double(number), v >= 0, v.isFinite else { return nil }
            return v * factor
        }
        guard let v = Double(t), v >= 0, v.isFinite else { return nil }
        return v
    }

    /// Short human form: "23h 59m", "6d 4h", "45s".
    public static func format(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded(.down))
        if s < 0 { return "0s" }
        let d = s / 86400, h = (s % 86400) / 3600, m = (s % 3600) / 60, sec = s % 60
        if d > 0 { return h > 0 ? "\(d)d \(h)h" : "\(d)d" }
        if h > 0 { return "\(h)h \(String(format: "%02d", m))m" }
        if m > 0 { return "\(m)m \(String(format: "%02d", sec))s" }
        return "\(sec)s"
    }
}
