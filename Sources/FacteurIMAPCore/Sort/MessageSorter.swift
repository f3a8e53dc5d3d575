/// SORT (RFC 5256 §3, RFC 5957): orders messages by a list of criteria, each optionally
/// reversed; messages equal under every criterion keep the mailbox order (sequence number,
/// ascending, whatever REVERSE says).
public enum MessageSorter {
    /// The `number`s of `messages` in sort order.
    public static func sort(_ messages: [SortableMessage], by criteria: [SortCriterion]) -> [UInt32] {
        var order = Array(messages.indices)
        order.sort { left, right in
            let a = messages[left], b = messages[right]
            for criterion in criteria {
                let result = compare(a, b, criterion.key)
                if result != 0 { return criterion.reverse ? result > 0 : result < 0 }
            }
            return a.sequence < b.sequence
        }
        return order.map { messages[$0].number }
    }

    /// -1, 0 or 1 as `a` sorts before, with or after `b` on `key`.
    static func compare(_ a: SortableMessage, _ b: SortableMessage, _ key: SortKey) -> Int {
        switch key {
        case .arrival: return order(a.internalDate, b.internalDate)
        case .date: return order(a.sentDate, b.sentDate)
        case .size: return order(a.size, b.size)
        case .subject: return utf8Order(a.fields.subject.key, b.fields.subject.key)
        case .from: return utf8Order(a.fields.fromKey, b.fields.fromKey)
        case .to: return utf8Order(a.fields.toKey, b.fields.toKey)
        case .cc: return utf8Order(a.fields.ccKey, b.fields.ccKey)
        case .displayFrom: return utf8Order(a.fields.displayFrom, b.fields.displayFrom)
        case .displayTo: return utf8Order(a.fields.displayTo, b.fields.displayTo)
        }
    }

    @inline(__always)
    static func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
}
