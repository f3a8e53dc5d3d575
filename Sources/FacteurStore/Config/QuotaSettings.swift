import FacteurCore
import Foundation

/// `[mail]` quota keys: no limit unless the administrator sets one.
///
///     [mail]
///     quota = "2 GB"              # every user (1 GB = 1024³ octets); absent = no limit
///     quota_messages = 100000     # optional
///     [mail.user_quota]           # per user, replacing the default
///     "boss@example.com" = "none"
///     "alice@example.com" = { storage = "10 GB", messages = 50000 }
public struct QuotaSettings: Sendable, Equatable {
    public var defaultLimit: QuotaLimit = .unlimited
    /// Lower-cased address → its own limit.
    public var users: [String: QuotaLimit] = [:]

    public init() {}

    public func limit(for owner: String) -> QuotaLimit { users[owner.lowercased()] ?? defaultLimit }

    /// No user has any limit: nothing to check anywhere.
    public var isUnlimited: Bool { defaultLimit.isUnlimited && users.values.allSatisfy(\.isUnlimited) }

    static func read(_ s: TOMLReader.Section, into settings: inout QuotaSettings) {
        settings.defaultLimit.bytes = s.size("quota") ?? settings.defaultLimit.bytes
        if let n = s.int("quota_messages", min: 0) { settings.defaultLimit.messages = n == 0 ? nil : Int64(n) }
        guard let users = s.subsection("user_quota") else { return }
        for key in users.table.keys.sorted() {
            if users.table[key]?.table != nil, let t = users.subsection(key) {
                settings.users[key.lowercased()] = QuotaLimit(bytes: t.size("storage"),
                                                              messages: t.int("messages", min: 1).map(Int64.init))
                t.finish()
            } else {
                settings.users[key.lowercased()] = QuotaLimit(bytes: users.size(key), messages: nil)
            }
        }
        users.finish()
    }
}

/// Sizes in the configuration: "2 GB", "500MB", "1.5 GiB", "800 KB", a bare number of octets;
/// K, M, G, T are powers of 1024 whether written KB or KiB (as Dovecot counts). "none" → nil.
public enum SizeText {
    public static func parse(_ text: String) -> Int64?? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "none" || t == "unlimited" { return .some(nil) }
        let units: [(String, Double)] = [("tib", 0x1p40), ("tb", 0x1p40), ("t", 0x1p40), ("gib", 0x1p30), ("gb", 0x1p30), ("g", 0x1p30),
                                         ("mib", 0x1p20), ("mb", 0x1p20), ("m", 0x1p20), ("kib", 0x1p10), ("kb", 0x1p10), ("k", 0x1p10),
                                         ("b", 1)]
        var number = Substring(t), factor = 1.0
        for (suffix, f) in units where t.hasSuffix(suffix) {
            number = t.dropLast(suffix.count); factor = f
            break
        }
        guard let v = Double(number.trimmingCharacters(in: .whitespaces)), v.isFinite, v > 0 else { return nil }
        let bytes = (v * factor).rounded(.up)
        guard bytes < 0x1p62 else { return nil }
        return .some(Int64(bytes))
    }
}

extension TOMLReader.Section {
    /// A size (`SizeText`): nil when absent, "none" or wrong (wrong is reported).
    func size(_ key: String) -> Int64? {
        guard let text = string(key) else { return nil }
        guard let parsed = SizeText.parse(text) else {
            reader.fail("'\(key)' in \(name) must be a size like \"2 GB\", \"500 MB\" or \"none\"", key: key, path: path)
            return nil
        }
        return parsed
    }
}
