/// A bounded buffer that keeps the newest `capacity` elements, oldest first.
public struct LogRing<Element: Sendable>: Sendable {
    private var storage: [Element] = []
    private var start = 0
    public let capacity: Int
    /// How many elements were pushed out.
    public private(set) var dropped = 0

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    public var count: Int { storage.count }

    public mutating func append(_ element: Element) {
        if storage.count < capacity { storage.append(element); return }
        storage[start] = element
        start = (start + 1) % capacity
        dropped += 1
    }

    /// Oldest first.
    public var elements: [Element] {
        if start == 0 { return storage }
        return Array(storage[start...] + storage[..<start])
    }
}

extension LogRing: Equatable where Element: Equatable {
    public static func == (a: LogRing, b: LogRing) -> Bool { a.elements == b.elements && a.capacity == b.capacity }
}

/// Encoded as its capacity and its elements, oldest first.
extension LogRing: Codable where Element: Codable {
    private enum CodingKeys: String, CodingKey { case capacity, elements }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(capacity: try c.decode(Int.self, forKey: .capacity))
        for e in try c.decode([Element].self, forKey: .elements).suffix(capacity) { append(e) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(capacity, forKey: .capacity)
        try c.encode(elements, forKey: .elements)
    }
}
