/// One node of a `NetworkSet` trie: a prefix, its two branches and its value slot.
@usableFromInline
struct NetworkTrieNode: Sendable {
    @usableFromInline var high: UInt64
    @usableFromInline var low: UInt64
    @usableFromInline var child0: Int32
    @usableFromInline var child1: Int32
    /// Index into `values`, or -1 for a fork node without value.
    @usableFromInline var value: Int32
    @usableFromInline var length: UInt8

    static let empty = NetworkTrieNode(high: 0, low: 0, child0: -1, child1: -1, value: -1, length: 0)
}

/// A map from CIDR networks to values, answering "which entries contain this address".
///
/// It is a path-compressed binary trie (a PATRICIA tree) over the 128-bit form of addresses:
/// a node holds a prefix and its length, and one branch per value of the next bit. A lookup
/// follows at most one path from the root, comparing whole 64-bit words at each node, so its
/// cost grows with the depth of the tree (about log2 of the entry count for scattered
/// entries, never more than 129 nodes), not with the number of entries or prefix lengths in
/// use. Nodes sit in one array with a free list and values in a dense array beside it, so
/// inserts and removals allocate nothing in the steady state and fork nodes cost no value slot.
public struct NetworkSet<Value> {
    @usableFromInline var nodes: [NetworkTrieNode] = [.empty]
    @usableFromInline var values: [Value] = []
    /// The node holding each value (same index as `values`).
    private var owners: [Int32] = []
    private var freeList: [Int32] = []

    public init() {}

    /// Number of networks held.
    public var count: Int { values.count }

    /// Builds a set from pairs; a later pair for the same network replaces an earlier one.
    public init(_ entries: some Sequence<(IPNetwork, Value)>) {
        self.init()
        for (network, value) in entries { updateValue(value, for: network) }
    }

    public var isEmpty: Bool { count == 0 }

    // MARK: Lookup

    /// The most specific network containing `address`, with its value.
    @inlinable @inline(__always)
    public func longestMatch(for address: IPAddress) -> (network: IPNetwork, value: Value)? {
        let index = longestMatchIndex(address)
        guard index >= 0 else { return nil }
        return (network(at: index), values[Int(nodes[index].value)])
    }

    /// The value of the most specific network containing `address`.
    @inlinable @inline(__always)
    public func value(for address: IPAddress) -> Value? {
        let index = longestMatchIndex(address)
        return index >= 0 ? values[Int(nodes[index].value)] : nil
    }

    /// True when some network of the set contains `address`.
    @inlinable @inline(__always)
    public func contains(_ address: IPAddress) -> Bool {
        longestMatchIndex(address) >= 0
    }

    /// Every network containing `address`, least specific first.
    @inlinable
    public func matches(for address: IPAddress) -> [(network: IPNetwork, value: Value)] {
        var result: [(network: IPNetwork, value: Value)] = []
        walk(address) { index in
            let slot = nodes[index].value
            if slot >= 0 { result.append((network(at: index), values[Int(slot)])) }
        }
        return result
    }

    /// The value stored for exactly `network`.
    public subscript(network: IPNetwork) -> Value? {
        get {
            guard let index = exactIndex(network), nodes[index].value >= 0 else { return nil }
            return values[Int(nodes[index].value)]
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
                if node.value >= 0 {
                    let old = values[Int(node.value)]
                    values[Int(node.value)] = value
                    return old
                }
                attach(value, to: current)
                return nil
            }
            let branch = Bits128.bit(keyHigh, keyLow, at: Int(node.length))
            let child = branch == 0 ? node.child0 : node.child1
            if child < 0 {
                let leaf = allocate(keyHigh, keyLow, length, value: value)
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
                let middle = allocate(keyHigh, keyLow, length, value: value)
                setChild(of: current, branch: branch, to: middle)
                setChild(of: middle, branch: Bits128.bit(childNode.high, childNode.low, at: length), to: child)
                return nil
            }
            // The two diverge below `common`: a value-less fork node holds both.
            let (maskHigh, maskLow) = Bits128.mask(common)
            let fork = allocate(keyHigh & maskHigh, keyLow & maskLow, common, value: nil)
            setChild(of: current, branch: branch, to: fork)
            let leaf = allocate(keyHigh, keyLow, length, value: value)
            setChild(of: fork, branch: Bits128.bit(keyHigh, keyLow, at: common), to: leaf)
            setChild(of: fork, branch: Bits128.bit(childNode.high, childNode.low, at: common), to: child)
            return nil
        }
    }

    /// Removes `network`; returns its value, or nil when it was not in the set.
    @discardableResult
    public mutating func removeValue(for network: IPNetwork) -> Value? {
        let path = exactPath(network)
        guard let index = path.last, nodes[index].value >= 0 else { return nil }
        let slot = Int(nodes[index].value)
        let old = values[slot]
        // Swap-remove from the dense value array.
        let last = values.count - 1
        if slot != last {
            values.swapAt(slot, last)
            owners[slot] = owners[last]
            nodes[Int(owners[slot])].value = Int32(slot)
        }
        values.removeLast()
        owners.removeLast()
        nodes[index].value = -1
        prune(path)
        return old
    }

    /// Changes the value stored for exactly `network` in place and returns the new value;
    /// nil when the network is absent.
    @inlinable @discardableResult
    public mutating func modifyValue(for network: IPNetwork, _ body: (inout Value) -> Void) -> Value? {
        guard let index = exactIndex(network), nodes[index].value >= 0 else { return nil }
        let slot = Int(nodes[index].value)
        body(&values[slot])
        return values[slot]
    }

    /// Changes in place the value of the most specific network containing `address`, when
    /// `condition` accepts it; returns the new value, or nil (and changes nothing).
    @inlinable @discardableResult
    public mutating func modifyLongestMatch(for address: IPAddress, where condition: (Value) -> Bool,
                                            _ body: (inout Value) -> Void) -> Value? {
        let index = longestMatchIndex(address)
        guard index >= 0 else { return nil }
        let slot = Int(nodes[index].value)
        guard condition(values[slot]) else { return nil }
        body(&values[slot])
        return values[slot]
    }

    public mutating func removeAll() {
        self = NetworkSet()
    }

    // MARK: Internals

    /// The node of the longest network containing `address`, or -1. The hot path of every
    /// admission: written so the compiler emits conditional moves, not branches, for the
    /// data-dependent choices (prefix test, branch bit, child), since a mispredicted branch per
    /// level costs more than the comparison itself.
    @inlinable @inline(__always)
    func longestMatchIndex(_ address: IPAddress) -> Int {
        nodes.withUnsafeBufferPointer { buffer in
            let high = address.high, low = address.low
            var index = 0
            var best = -1
            while true {
                let node = buffer[index]
                let length = Int(node.length)
                // The node's key has zero host bits, so it covers the address when the first
                // differing bit comes at or after its length.
                let diffHigh = high ^ node.high, diffLow = low ^ node.low
                let common = diffHigh != 0 ? diffHigh.leadingZeroBitCount : 64 + diffLow.leadingZeroBitCount
                if common < length { break }
                if node.value >= 0 { best = index }
                if length == 128 { break }
                let word = length < 64 ? high : low
                let bit = (word &>> UInt64(63 - (length & 63))) & 1
                let child = bit == 0 ? node.child0 : node.child1
                if child < 0 { break }
                index = Int(child)
            }
            return best
        }
    }

    /// Calls `body` with each node on the path of `address` that contains it.
    @inlinable
    func walk(_ address: IPAddress, _ body: (Int) -> Void) {
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

    /// The node of exactly `network`, if any.
    @inlinable
    func exactIndex(_ network: IPNetwork) -> Int? {
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

    /// The nodes from the root down to the node of exactly `network`; empty when there is none.
    private func exactPath(_ network: IPNetwork) -> [Int] {
        let length = network.length128
        var path: [Int] = []
        var index = 0
        while true {
            let node = nodes[index]
            let nodeLength = Int(node.length)
            if nodeLength > length { return [] }
            let (maskHigh, maskLow) = Bits128.mask(nodeLength)
            if network.address.high & maskHigh != node.high || network.address.low & maskLow != node.low { return [] }
            path.append(index)
            if nodeLength == length { return path }
            let child = Bits128.bit(network.address.high, network.address.low, at: nodeLength) == 0 ? node.child0 : node.child1
            if child < 0 { return [] }
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
            if node.value >= 0 { result.append((network(at: index), values[Int(node.value)])) }
            if node.child1 >= 0 { stack.append(Int(node.child1)) }
            if node.child0 >= 0 { stack.append(Int(node.child0)) }
        }
    }

    @inlinable
    func network(at index: Int) -> IPNetwork {
        let node = nodes[index]
        return IPNetwork(address: IPAddress(high: node.high, low: node.low), length128: Int(node.length))
    }

    private mutating func allocate(_ high: UInt64, _ low: UInt64, _ length: Int, value: Value?) -> Int32 {
        let node = NetworkTrieNode(high: high, low: low, child0: -1, child1: -1, value: -1, length: UInt8(truncatingIfNeeded: length))
        let index: Int32
        if let reused = freeList.popLast() {
            nodes[Int(reused)] = node
            index = reused
        } else {
            nodes.append(node)
            index = Int32(nodes.count - 1)
        }
        if let value { attach(value, to: index) }
        return index
    }

    private mutating func attach(_ value: Value, to index: Int32) {
        nodes[Int(index)].value = Int32(values.count)
        values.append(value)
        owners.append(index)
    }

    private mutating func setChild(of parent: Int32, branch: Int, to child: Int32) {
        if branch == 0 { nodes[Int(parent)].child0 = child } else { nodes[Int(parent)].child1 = child }
    }

    /// Removes value-less nodes that no longer fork, from the end of `path` (root first) up.
    private mutating func prune(_ path: [Int]) {
        var step = path.count - 1
        while step > 0 {
            let index = path[step]
            let node = nodes[index]
            if node.value >= 0 || (node.child0 >= 0 && node.child1 >= 0) { return }
            let only = node.child0 >= 0 ? node.child0 : node.child1
            let parent = path[step - 1]
            if nodes[parent].child0 == Int32(index) {
                nodes[parent].child0 = only
            } else {
                nodes[parent].child1 = only
            }
            nodes[index] = .empty
            freeList.append(Int32(index))
            if only >= 0 { return }
            step -= 1
        }
    }

    /// Nodes in use, the root included (for tests of pruning).
    var nodeCount: Int { nodes.count - freeList.count }
}

extension NetworkSet: Sendable where Value: Sendable {}
