/// LIST / LSUB mailbox patterns (RFC 3501 §6.3.8): `*` matches anything, `%` anything but
/// the hierarchy separator. Matching is on wire names; "INBOX" matches case-insensitively.
public struct ListPattern: Sendable {
    private let pattern: [UInt8]

    /// The reference is prefixed to the pattern (RFC 3501 leaves the interpretation to the
    /// server; plain concatenation is what clients expect from a "/" hierarchy).
    public init(reference: String, pattern: String) {
        self.pattern = Array((reference + pattern).utf8)
    }

    public func matches(_ name: IMAPMailboxName) -> Bool {
        let wire = Array(name.wire.utf8)
        if name.isInbox || name.wire.uppercased().hasPrefix("INBOX/") {
            // Compare the INBOX part case-insensitively by upper-casing both prefixes.
            let upperPattern = pattern.prefix(5).map(IMAPGrammar.upper) + pattern.dropFirst(5)
            return Self.match(upperPattern, wire) || Self.match(pattern, wire)
        }
        return Self.match(pattern, wire)
    }

    /// True if some name below `name` could match, i.e. `name` + "/" is a prefix the pattern
    /// can continue from (used to report unlisted parents as `\Noselect`).
    static func match(_ pattern: [UInt8], _ name: [UInt8]) -> Bool {
        // Dynamic programming over (pattern index, name index); both bounded by
        // IMAPLimits.maxMailboxNameLength, so at most about a million steps.
        let separator = UInt8(ascii: "/")
        var current = [Bool](repeating: false, count: name.count + 1)
        current[0] = true
        for symbol in pattern {
            var next = [Bool](repeating: false, count: name.count + 1)
            switch symbol {
            case UInt8(ascii: "*"):
                var reachable = false
                for index in 0...name.count {
                    reachable = reachable || current[index]
                    next[index] = reachable
                }
            case UInt8(ascii: "%"):
                var reachable = false
                for index in 0...name.count {
                    if index > 0 && name[index - 1] == separator { reachable = false }
                    reachable = reachable || current[index]
                    next[index] = reachable
                }
            default:
                for index in 0..<name.count where current[index] && name[index] == symbol {
                    next[index + 1] = true
                }
            }
            current = next
        }
        return current[name.count]
    }
}
