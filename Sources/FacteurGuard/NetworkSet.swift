/// A map from CIDR networks to values, answering "which entries contain this address".
///
/// It is a path-compressed binary trie (a PATRICIA tree) over the 128-bit form of addresses:
/// a node holds a prefix and its length, and one branch per value of the next bit. A lookup
/// follows at most one path from the root, comparing whole 64-bit words at each node, so its
/// cost grows with the depth of the tree (about log2 of the entry count for scattered
/// entries, never more than 129 nodes), not with the number of entries or prefix lengths in
/// use. Nodes sit in one array with a free list, so inserts and removals allocate nothing in
/// the steady state.
public struct NetworkSet<Value> {
    struct Node {
        var high: UInt64
        var low: UInt64
        var child0: Int32
        var child1: Int32
        var parent: Int32
        var length: UInt8
        var hasValue: Bool
    }

    private var nodes: [Node]
    private var values: [Value?]
    private var freeList: [Int32] = []
    /// Number of networks held.
    public private(set) var count: Int = 0

    public init() {
        nodes = [Node(high: 0, low: 0, child0: -1, child1: -1, parent: -1, length: 0, hasValue: false)]
        values = [nil]
    }

    /// Builds a set from pairs; a later pair for the same network replaces an earlier one.
    public init(_ entries: some Sequence<(IPNetwork, Value)>) {
        self.init()
        for (network, value) in entries { updateValue(value, for: network) }
    }

    public var isEmpty: Bool { count == 0 }

    // MARK: Lookup

    /// The most specific network containing `address`, with its value.
    @inline(__always)
    public func longestMatch(for address: IPAddress) -> (network: IPNetwork, value: Value)? {
        let index = longestMatchIndex(address)
        guard index >= 0, let value = values[index] else { return nil }
        return (network(at: index), value)
    }

    /// The value of the most specific network containing `address`.
    @inline(__always)
    public func value(for address: IPAddress) -> Value? {
        let index = longestMatchIndex(address)
        return index >= 0 ? values[index] : nil
    }

    /// True when some network of the set contains `address`.
    @inline(__always)
    public func contains(_ address: IPAddress) -> Bool {
        longestMatchIndex(address) >= 0
    }

    /// Every network containing `address`, least specific first.
    public func matches(for address: IPAddress) -> [(network: IPNetwork, value: Value)] {
        var result: [(network: IPNetwork, value: Value)] = []
        walk(address) { index in
            if let value = values[index] { result.append((network(at: index), value)) }
        }
        return result
    }

    /// The value stored for exactly `network`.
    public subscript(network: IPNetwork) -> Value? {
        get {
            guard let index = exactIndex(network) else { return nil }
            return values[index]
        }
        set {
            if let newValue {
                updateValue(newValue, for: network)
            } else {
                removeValue(for: network)
            }
        }
    }

    /// Every entry, in address order (a network before the networks inside it).
    public var entries: [(network: IPNetwork, value: Value)] {
        var result: [(network: IPNetwork, value: Value)] = []
        collect(from: 0, into: &result)
        return result
    }

    /// The entries whose network lies within `outer` (`outer` itself included).
    public func entries(within outer: IPNetwork) -> [(network: IPNetwork, value: Value)] {
        var result: [(network: IPNetwork, value: Value)] = []
        if let top = subtreeRoot(within: outer) { collect(from: top, into: &result) }
        return result
    }

    // MARK: Changes

    /// Stores `value` for `network`; returns the value it replaced.
    @discardableResult
    public mutating func updateValue(_ value: Value, for network: IPNetwork) -> Value? {
        let keyHigh = network.address.high, keyLow = network.address.low
        let length = network.length128
        var current: Int32 = 0
        while true {
            // Invariant: `current` is a prefix of `network` and no longer than it.
            let node = nodes[Int(current)]
            if Int(node.length) == length {
                let old = values[Int(current)]
                values[Int(current)] = value
                if !node.hasValue {
                    nodes[Int(current)].hasValue = true
                    count += 1
                }
                return old
            }
            let branch = Bits128.bit(keyHigh, keyLow, at: Int(node.length))
            let child = branch == 0 ? node.child0 : node.child1
            if child < 0 {
                let leaf = allocate(keyHigh, keyLow, length, parent: current, value: value)
                setChild(of: current, branch: branch, to: leaf)
                return nil
            }
            let childNode = nodes[Int(child)]
            let childLength = Int(childNode.length)
            let common = Bits128.commonPrefix(keyHigh, keyLow, childNode.high, childNode.low,
                                              limit: min(length, childLength))
            if common == childLength {
                current = child
                continue
            }
            if common == length {
                // The new network sits between `current` and `child`.
                let middle = allocate(keyHigh, keyLow, length, parent: current, value: value)
                setChild(of: current, branch: branch, to: middle)
                setChild(of: middle, branch: Bits128.bit(childNode.high, childNode.low, at: length), to: child)
                nodes[Int(child)].parent = middle
                return nil
            }
            // The two diverge below `common`: a value-less fork node holds both.
            let (maskHigh, maskLow) = Bits128.mask(common)
            let fork = allocate(keyHigh & maskHigh, keyLow & maskLow, common, parent: current, value: nil)
            setChild(of: current, branch: branch, to: fork)
            let leaf = allocate(keyHigh, keyLow, length, parent: fork, value: value)
            setChild(of: fork, branch: Bits128.bit(keyHigh, keyLow, at: common), to: leaf)
            setChild(of: fork, branch: Bits128.bit(childNode.high, childNode.low, at: common), to: child)
            nodes[Int(child)].parent = fork
            return nil
        }
    }

    /// Removes `network`; returns its value, or nil when it was not in the set.
    @discardableResult
    public mutating func removeValue(for network: IPNetwork) -> Value? {
        guard let index = exactIndex(network), nodes[index].hasValue else { return nil }
        let old = values[index]
        values[index] = nil
        nodes[index].hasValue = false
        count -= 1
        prune(from: Int32(index))
        return old
    }

    /// Changes the value stored for exactly `network` in place; false when it is absent.
    @discardableResult
    public mutating func modifyValue(for network: IPNetwork, _ body: (inout Value) -> Void) -> Bool {
        guard let index = exactIndex(network), var value = values[index] else { return false }
        values[index] = nil
        body(&value)
        values[index] = value
        return true
    }

    public mutating func removeAll() {
        self = NetworkSet()
    }

    // MARK: Internals

    @inline(__always)
    private func longestMatchIndex(_ address: IPAddress) -> Int {
        nodes.withUnsafeBufferPointer { buffer in
            var index = 0
            var best = -1
            while true {
                let node = buffer[index]
                let (maskHigh, maskLow) = Bits128.mask(Int(node.length))
                if address.high & maskHigh != node.high || address.low & maskLow != node.low { break }
                if node.hasValue { best = index }
                if node.length == 128 { break }
                let child = Bits128.bit(address.high, address.low, at: Int(node.length)) == 0 ? node.child0 : node.child1
                if child < 0 { break }
                index = Int(child)
            }
            return best
        }
    }

    /// Calls `body` with each node on the path of `address` that contains it.
    private func walk(_ address: IPAddress, _ body: (Int) -> Void) {
        var index = 0
        while true {
            let node = nodes[index]
            let (maskHigh, maskLow) = Bits128.mask(Int(node.length))
            if address.high & maskHigh != node.high || address.low & maskLow != node.low { return }
            body(index)
            if node.length == 128 { return }
            let child = Bits128.bit(address.high, address.low, at: Int(node.length)) == 0 ? node.child0 : node.child1
            if child < 0 { return }
            index = Int(child)
        }
    }

    private func exactIndex(_ network: IPNetwork) -> Int? {
        let length = network.length128
        var index = 0
        while true {
            let node = nodes[index]
            let nodeLength = Int(node.length)
            if nodeLength > length { return nil }
            let (maskHigh, maskLow) = Bits128.mask(nodeLength)
            if network.address.high & maskHigh != node.high || network.address.low & maskLow != node.low { return nil }
            if nodeLength == length { return index }
            let child = Bits128.bit(network.address.high, network.address.low, at: nodeLength) == 0 ? node.child0 : node.child1
            if child < 0 { return nil }
            index = Int(child)
        }
    }

    /// The highest node whose prefix lies within `outer`, if any.
    private func subtreeRoot(within outer: IPNetwork) -> Int? {
        let length = outer.length128
        let (outerMaskHigh, outerMaskLow) = Bits128.mask(length)
        var index = 0
        while true {
            let node = nodes[index]
            let nodeLength = Int(node.length)
            if nodeLength >= length {
                let inside = node.high & outerMaskHigh == outer.address.high && node.low & outerMaskLow == outer.address.low
                return inside ? index : nil
            }
            let (maskHigh, maskLow) = Bits128.mask(nodeLength)
            if outer.address.high & maskHigh != node.high || outer.address.low & maskLow != node.low { return nil }
            let child = Bits128.bit(outer.address.high, outer.address.low, at: nodeLength) == 0 ? node.child0 : node.child1
            if child < 0 { return nil }
            index = Int(child)
        }
    }

    private func collect(from top: Int, into result: inout [(network: IPNetwork, value: Value)]) {
        var stack = [top]
        while let index = stack.popLast() {
            let node = nodes[index]
            if let value = values[index] { result.append((network(at: index), value)) }
            if node.child1 >= 0 { stack.append(Int(node.child1)) }
            if node.child0 >= 0 { stack.append(Int(node.child0)) }
        }
    }

    private func network(at index: Int) -> IPNetwork {
        let node = nodes[index]
        return IPNetwork(address: IPAddress(high: node.high, low: node.low), length128: Int(node.length))
    }

    private mutating func allocate(_ high: UInt64, _ low: UInt64, _ length: Int, parent: Int32, value: Value?) -> Int32 {
        let node = Node(high: high, low: low, child0: -1, child1: -1, parent: parent,
                        length: UInt8(truncatingIfNeeded: length), hasValue: value != nil)
        if value != nil { count += 1 }
        if let reused = freeList.popLast() {
            nodes[Int(reused)] = node
            values[Int(reused)] = value
            return reused
        }
        nodes.append(node)
        values.append(value)
        return Int32(nodes.count - 1)
    }

    private mutating func setChild(of parent: Int32, branch: Int, to child: Int32) {
        if branch == 0 { nodes[Int(parent)].child0 = child } else { nodes[Int(parent)].child1 = child }
    }

    /// Removes value-less nodes that no longer fork, from `start` up towards the root.
    private mutating func prune(from start: Int32) {
        var index = start
        while index != 0, !nodes[Int(index)].hasValue {
            let node = nodes[Int(index)]
            if node.child0 >= 0, node.child1 >= 0 { return }
            let only = node.child0 >= 0 ? node.child0 : node.child1
            let parent = node.parent
            if nodes[Int(parent)].child0 == index {
                nodes[Int(parent)].child0 = only
            } else {
                nodes[Int(parent)].child1 = only
            }
            if only >= 0 { nodes[Int(only)].parent = parent }
            nodes[Int(index)] = Node(high: 0, low: 0, child0: -1, child1: -1, parent: -1, length: 0, hasValue: false)
            values[Int(index)] = nil
            freeList.append(index)
            if only >= 0 { return }
            index = parent
        }
    }

    /// Nodes in use, the root included (for tests of pruning).
    var nodeCount: Int { nodes.count - freeList.count }
}

extension NetworkSet: Sendable where Value: Sendable {}
