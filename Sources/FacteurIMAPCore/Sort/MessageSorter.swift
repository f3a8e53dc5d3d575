/// SORT (RFC 5256 §3, RFC 5957): orders messages by a list of criteria, each optionally
/// reversed; messages equal under every criterion keep the mailbox order (sequence number,
/// ascending, whatever REVERSE says).
///
/// Each criterion's keys are first copied into a column (numbers or casemapped strings), so
/// that a comparison reads two array elements instead of copying two whole messages: sorting
/// 100,000 messages makes about 1.7 million comparisons.
public enum MessageSorter {
    /// The `number`s of `messages` in sort order.
    public static func sort(_ messages: [SortableMessage], by criteria: [SortCriterion]) -> [UInt32] {
        var numbers: [[Double]] = []
        var texts: [[String]] = []
        // (text?, column, reverse) per criterion.
        var plan: [(text: Bool, column: Int, reverse: Bool)] = []
        for criterion in criteria {
            if let column = numberColumn(messages, criterion.key) {
                plan.append((false, numbers.count, criterion.reverse))
                numbers.append(column)
            } else {
                plan.append((true, texts.count, criterion.reverse))
                texts.append(textColumn(messages, criterion.key))
            }
        }
        let sequences = messages.map(\.sequence)
        var order = Array(messages.indices)
        order.sort { left, right in
            for step in plan {
                let result: Int
                if step.text {
                    result = utf8Order(texts[step.column][left], texts[step.column][right])
                } else {
                    let a = numbers[step.column][left], b = numbers[step.column][right]
                    result = a < b ? -1 : (a == b ? 0 : 1)
                }
                if result != 0 { return step.reverse ? result > 0 : result < 0 }
            }
            return sequences[left] < sequences[right]
        }
        return order.map { messages[$0].number }
    }

    private static func numberColumn(_ messages: [SortableMessage], _ key: SortKey) -> [Double]? {
        switch key {
        case .arrival: return messages.map(\.internalDate)
        case .date: return messages.map(\.sentDate)
        case .size: return messages.map { Double($0.size) }
        case .subject, .from, .to, .cc, .displayFrom, .displayTo: return nil
        }
    }

    private static func textColumn(_ messages: [SortableMessage], _ key: SortKey) -> [String] {
        switch key {
        case .subject: return messages.map(\.fields.subject.key)
        case .from: return messages.map(\.fields.fromKey)
        case .to: return messages.map(\.fields.toKey)
        case .cc: return messages.map(\.fields.ccKey)
        case .displayFrom: return messages.map(\.fields.displayFrom)
        case .displayTo: return messages.map(\.fields.displayTo)
        case .arrival, .date, .size: return []
        }
    }
}
