/// One node of a THREAD answer (RFC 5256 §4): a message (nil for a dummy that only groups
/// its children) and its replies.
public struct ThreadNode: Hashable, Sendable {
    public var number: UInt32?
    public var children: [ThreadNode]

    public init(_ number: UInt32?, _ children: [ThreadNode] = []) {
        self.number = number; self.children = children
    }
}

extension IMAPWriter {
    /// `thread-data = "THREAD" [SP 1*thread-list]`, `thread-list = "(" (thread-members /
    /// thread-nested) ")"`, `thread-members = nz-number *(SP nz-number) [SP thread-nested]`,
    /// `thread-nested = 2*thread-list`: a single reply continues the member chain, several
    /// replies are each a nested list.
    mutating func thread(_ threads: [ThreadNode]) {
        raw("THREAD")
        if !threads.isEmpty { space() }
        for root in threads {
            raw("(")
            threadMembers(root)
            raw(")")
        }
    }

    private mutating func threadMembers(_ start: ThreadNode) {
        var node = start
        var first = true
        while true {
            if let number = node.number {
                if !first { space() }
                raw(String(number))
                first = false
            }
            if node.children.count == 1 {
                node = node.children[0]
                continue
            }
            if !node.children.isEmpty {
                if !first { space() }
                for child in node.children {
                    raw("(")
                    threadMembers(child)
                    raw(")")
                }
            }
            return
        }
    }
}
