/// A value of a MaxMind DB data section (MaxMind DB spec, "Output Data Section").
public indirect enum MaxMindValue: Sendable, Equatable {
    case string(String)
    case double(Double)
    case bytes([UInt8])
    /// uint16, uint32 and uint64 values.
    case uint(UInt64)
    case uint128(high: UInt64, low: UInt64)
    case int(Int32)
    case map([String: MaxMindValue])
    case array([MaxMindValue])
    case bool(Bool)
    case float(Float)

    /// The value under `key` when this is a map.
    public subscript(key: String) -> MaxMindValue? {
        if case let .map(entries) = self { return entries[key] }
        return nil
    }

    public var stringValue: String? {
        if case let .string(text) = self { return text }
        return nil
    }

    public var uintValue: UInt64? {
        switch self {
        case let .uint(value): value
        case let .int(value) where value >= 0: UInt64(value)
        default: nil
        }
    }
}

/// Why a .mmdb file or one of its records could not be read.
public enum MaxMindDBError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(String)
    case fileTooLarge(Int)
    case metadataNotFound
    case invalidMetadata(String)
    case invalidTree(String)
    case invalidData(String)

    public var description: String {
        switch self {
        case let .unreadable(why): "cannot read the MaxMind DB file: \(why)"
        case let .fileTooLarge(size): "MaxMind DB file of \(size) bytes is over the \(GuardLimits.maxMMDBFileSize)-byte limit"
        case .metadataNotFound: "not a MaxMind DB file: no metadata marker"
        case let .invalidMetadata(why): "invalid MaxMind DB metadata: \(why)"
        case let .invalidTree(why): "invalid MaxMind DB search tree: \(why)"
        case let .invalidData(why): "invalid MaxMind DB data: \(why)"
        }
    }
}
