/// THREAD (RFC 5256 §2.2 and §4): ORDEREDSUBJECT groups messages by base subject;
/// REFERENCES links them by Message-ID / References / In-Reply-To (the §2.2 algorithm,
/// steps numbered as there), then groups roots by subject. Siblings are ordered by sent date,
/// then by the order in the mailbox.
///
/// Reply chains deeper than `IMAPLimits.maxThreadDepth` are cut (the rest starts a new thread),
/// so that a hostile mailbox cannot make the recursive steps exhaust the stack.
public enum ThreadBuilder {
    /// `messages` in mailbox (sequence) order.
    public static func thread(_ messages: [SortableMessage], algorithm: ThreadAlgorithm) -> [ThreadNode] {
        switch algorithm {
        case .orderedSubject: return orderedSubject(messages)
        case .references:
            var builder = ReferencesThreader(messages)
            return builder.run()
        }
    }

    /// ORDEREDSUBJECT (RFC 5256 §4 "THREAD=ORDEREDSUBJECT"): sort by base subject then sent
    /// date; each run of one subject is a thread whose first message is the parent of the
    /// others; threads are ordered by the sent date of their first message.
    static func orderedSubject(_ messages: [SortableMessage]) -> [ThreadNode] {
        let sorted = messages.indices.sorted { a, b in
            let x = messages[a], y = messages[b]
            let bySubject = utf8Order(x.fields.subject.key, y.fields.subject.key)
            if bySubject != 0 { return bySubject < 0 }
            if x.sentDate != y.sentDate { return x.sentDate < y.sentDate }
            return x.sequence < y.sequence
        }
        var threads: [(root: Int, children: [Int])] = []
        for index in sorted {
            if let last = threads.last, messages[last.root].fields.subject.key == messages[index].fields.subject.key {
                threads[threads.count - 1].children.append(index)
            } else {
                threads.append((index, []))
            }
        }
        threads.sort { a, b in
            let x = messages[a.root], y = messages[b.root]
            return x.sentDate != y.sentDate ? x.sentDate < y.sentDate : x.sequence < y.sequence
        }
        return threads.map { thread in
            ThreadNode(messages[thread.root].number, thread.children.map { ThreadNode(messages[$0].number) })
        }
    }
}

/// The REFERENCES algorithm over an array of containers (RFC 5256 §2.2).
struct ReferencesThreader {
    struct Container {
        var message: Int?
        var parent: Int?
        var children: [Int] = []
    }

    let messages: [SortableMessage]
    var containers: [Container] = []
    var byID: [String: Int] = [:]

    init(_ messages: [SortableMessage]) { self.messages = messages }

    mutating func run() -> [ThreadNode] {
        for index in messages.indices { place(index) }
        // (2) The root set; (3) the ID table is no longer needed.
        byID = [:]
        var roots = containers.indices.filter { containers[$0].parent == nil }
        roots = prune(roots, atRoot: true)
        roots = groupBySubject(roots)
        roots = sortSiblings(roots)
        return roots.map(node)
    }

    // MARK: (1) Linking

    private mutating func newContainer(message: Int? = nil) -> Int {
        containers.append(Container(message: message))
        return containers.count - 1
    }

    private mutating func container(id: String) -> Int {
        if let existing = byID[id] { return existing }
        let created = newContainer()
        byID[id] = created
        return created
    }

    /// Depth of `node` (0 for a root), or nil when `candidate` is `node` or one of its ancestors.
    private func depth(of node: Int, unless candidate: Int) -> Int? {
        var current: Int? = node
        var steps = 0
        while let at = current {
            if at == candidate { return nil }
            current = containers[at].parent
            steps += 1
        }
        return steps - 1
    }

    /// Links `child` under `parent` unless that would make a loop or too deep a chain.
    private mutating func link(_ parent: Int, _ child: Int) {
        guard let depth = depth(of: parent, unless: child), depth < IMAPLimits.maxThreadDepth else { return }
        containers[child].parent = parent
        containers[parent].children.append(child)
    }

    private mutating func unlink(_ child: Int) {
        guard let parent = containers[child].parent else { return }
        containers[parent].children.removeAll { $0 == child }
        containers[child].parent = nil
    }

    private mutating func place(_ index: Int) {
        let fields = messages[index].fields
        // (1A) A container for the message: a duplicate Message-ID counts as none.
        let own: Int
        if let id = fields.messageID {
            let found = container(id: id)
            if containers[found].message == nil {
                containers[found].message = index
                own = found
            } else {
                own = newContainer(message: index)
            }
        } else {
            own = newContainer(message: index)
        }
        // (1B) Chain the references, keeping links that exist.
        var previous: Int?
        for reference in fields.references {
            let current = container(id: reference)
            if let parent = previous, parent != current, containers[current].parent == nil {
                link(parent, current)
            }
            previous = current
        }
        // (1C) The message's own parent is its last reference (or none), replacing an older link.
        unlink(own)
        if let parent = previous, parent != own { link(parent, own) }
    }

    // MARK: (4) Pruning

    private mutating func prune(_ list: [Int], atRoot: Bool) -> [Int] {
        var kept: [Int] = []
        for id in list {
            let children = prune(containers[id].children, atRoot: false)
            containers[id].children = children
            guard containers[id].message == nil else { kept.append(id); continue }
            // (4A) An empty dummy goes; (4B) a dummy with children gives them to its parent,
            // but at the root only when it has a single child.
            if children.isEmpty { continue }
            if !atRoot || children.count == 1 {
                for child in children { containers[child].parent = containers[id].parent }
                kept += children
            } else {
                kept.append(id)
            }
        }
        return kept
    }

    // MARK: (5) Grouping roots by subject

    /// The message that speaks for a root: its own, or its first child's for a dummy.
    private func representative(_ id: Int) -> SortableMessage? {
        if let message = containers[id].message { return messages[message] }
        guard let first = containers[id].children.first, let message = containers[first].message else { return nil }
        return messages[message]
    }

    private mutating func groupBySubject(_ roots: [Int]) -> [Int] {
        var table: [String: Int] = [:]
        for id in roots {
            guard let subject = representative(id)?.fields.subject, !subject.key.isEmpty else { continue }
            guard let old = table[subject.key] else { table[subject.key] = id; continue }
            let oldIsDummy = containers[old].message == nil, isDummy = containers[id].message == nil
            let oldIsReply = representative(old)?.fields.subject.isReplyOrForward ?? false
            if (isDummy && !oldIsDummy) || (!isDummy && !oldIsDummy && oldIsReply && !subject.isReplyOrForward) {
                table[subject.key] = id
            }
        }
        var result = roots.map(Optional.some)
        var slot: [Int: Int] = [:]
        for (position, id) in roots.enumerated() { slot[id] = position }
        for (position, id) in roots.enumerated() {
            guard let subject = representative(id)?.fields.subject, !subject.key.isEmpty,
                  let other = table[subject.key], other != id else { continue }
            let otherIsDummy = containers[other].message == nil, isDummy = containers[id].message == nil
            if otherIsDummy && isDummy {
                for child in containers[id].children { containers[child].parent = other }
                containers[other].children += containers[id].children
                containers[id].children = []
            } else if otherIsDummy || (!(representative(other)?.fields.subject.isReplyOrForward ?? false)
                                      && subject.isReplyOrForward && !isDummy) {
                containers[other].children.append(id)
                containers[id].parent = other
            } else {
                let group = newContainer()
                containers[group].children = [other, id]
                containers[other].parent = group
                containers[id].parent = group
                if let otherSlot = slot[other] { result[otherSlot] = group; slot[group] = otherSlot }
                table[subject.key] = group
            }
            result[position] = nil
        }
        return result.compactMap { $0 }
    }

    // MARK: (6) Ordering

    private mutating func sortSiblings(_ list: [Int]) -> [Int] {
        for id in list where !containers[id].children.isEmpty {
            containers[id].children = sortSiblings(containers[id].children)
        }
        return list.sorted { a, b in
            let x = sortKey(a), y = sortKey(b)
            return x.date != y.date ? x.date < y.date : x.sequence < y.sequence
        }
    }

    /// A message's sent date; a dummy's is its first child's.
    private func sortKey(_ id: Int) -> (date: Double, sequence: UInt32) {
        var current = id
        while containers[current].message == nil, let first = containers[current].children.first { current = first }
        guard let message = containers[current].message else { return (0, 0) }
        return (messages[message].sentDate, messages[message].sequence)
    }

    private func node(_ id: Int) -> ThreadNode {
        ThreadNode(containers[id].message.map { messages[$0].number }, containers[id].children.map(node))
    }
}
