import Foundation
import FacteurNet

/// Metadata of a MaxMind DB file (MaxMind DB spec, "Database Metadata").
public struct MaxMindMetadata: Sendable, Equatable {
    public var nodeCount: Int
    /// Bits per search-tree record: 24, 28 or 32.
    public var recordSize: Int
    /// 4: IPv4 addresses only; 6: IPv6 tree, IPv4 addresses under `::/96`.
    public var ipVersion: Int
    public var databaseType: String
    public var languages: [String]
    public var buildEpoch: UInt64
    public var majorVersion: Int
    public var minorVersion: Int
}

/// A reader of MaxMind DB (.mmdb) files: GeoLite2 / GeoIP2 / DB-IP country databases.
///
/// Layout (MaxMind DB spec): a binary search tree of `nodeCount` nodes, each holding two
/// records (left for bit 0, right for bit 1); 16 zero bytes; the data section; then the
/// marker `\xAB\xCD\xEFMaxMind.com` and the metadata map. Reading walks one bit of the address
/// per node until a record points past the tree (into the data section) or equals
/// `nodeCount` (no data). The whole file is held in memory.
public struct MaxMindDB: Sendable {
    public let metadata: MaxMindMetadata
    private let bytes: [UInt8]
    private let treeSize: Int
    private let data: MaxMindDecoder
    /// Node reached after the 96 zero bits of `::a.b.c.d`, where IPv4 lives in an IPv6 tree.
    private let ipv4Start: Int

    static let marker: [UInt8] = [0xAB, 0xCD, 0xEF] + Array("MaxMind.com".utf8)

    public init(contentsOf url: URL) throws(MaxMindDBError) {
        let contents: Data
        do {
            contents = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw .unreadable(error.localizedDescription)
        }
        guard contents.count <= GuardLimits.maxMMDBFileSize else { throw .fileTooLarge(contents.count) }
        try self.init(bytes: [UInt8](contents))
    }

    public init(bytes: [UInt8]) throws(MaxMindDBError) {
        guard bytes.count <= GuardLimits.maxMMDBFileSize else { throw .fileTooLarge(bytes.count) }
        guard let markerStart = Self.lastMarker(in: bytes) else { throw .metadataNotFound }
        let metadataStart = markerStart + Self.marker.count
        let metaDecoder = MaxMindDecoder(bytes: bytes, base: metadataStart, end: bytes.count)
        let (value, _) = try metaDecoder.decode(at: 0)
        let metadata = try Self.metadata(from: value)

        let treeSize = metadata.nodeCount * metadata.recordSize / 4
        guard treeSize + 16 <= markerStart else {
            throw .invalidTree("\(metadata.nodeCount) nodes do not fit in a file of \(bytes.count) bytes")
        }
        self.metadata = metadata
        self.bytes = bytes
        self.treeSize = treeSize
        self.data = MaxMindDecoder(bytes: bytes, base: treeSize + 16, end: markerStart)

        var node = 0
        if metadata.ipVersion == 6 {
            for _ in 0..<96 where node < metadata.nodeCount {
                node = try Self.record(bytes, metadata, node: node, bit: 0)
            }
        }
        ipv4Start = node
    }

    /// The ISO 3166 alpha-2 code of the country of `address`: `country.iso_code`, else
    /// `registered_country.iso_code`; nil when unknown or when the record cannot be read.
    public func country(for address: IPAddress) -> String? {
        guard let offset = try? dataOffset(for: address) else { return nil }
        for path in [["country", "iso_code"], ["registered_country", "iso_code"]] {
            if let code = (try? data.value(at: offset, path: path[...]))?.stringValue { return code }
        }
        return nil
    }

    /// The whole record for `address`, nil when the database has none.
    public func lookup(_ address: IPAddress) throws(MaxMindDBError) -> MaxMindValue? {
        guard let offset = try dataOffset(for: address) else { return nil }
        return try data.decode(at: offset).0
    }

    /// Section offset of the record for `address` in the data section.
    private func dataOffset(for address: IPAddress) throws(MaxMindDBError) -> Int? {
        var node: Int
        let bitCount: Int
        if let v4 = address.ipv4 {
            node = ipv4Start
            bitCount = 32
            var bit = 0
            while bit < bitCount, node < metadata.nodeCount {
                node = try Self.record(bytes, metadata, node: node, bit: Int(v4 >> UInt32(31 - bit) & 1))
                bit += 1
            }
        } else {
            guard metadata.ipVersion == 6 else { return nil }
            node = 0
            bitCount = 128
            var bit = 0
            while bit < bitCount, node < metadata.nodeCount {
                node = try Self.record(bytes, metadata, node: node, bit: Bits128.bit(address.high, address.low, at: bit))
                bit += 1
            }
        }
        if node == metadata.nodeCount { return nil }
        guard node > metadata.nodeCount else { throw .invalidTree("tree deeper than the address") }
        let offset = node - metadata.nodeCount - 16
        guard offset >= 0, offset < data.end - data.base else { throw .invalidTree("record \(node) points outside the data section") }
        return offset
    }

    /// Left (bit 0) or right (bit 1) record of `node`.
    private static func record(_ bytes: [UInt8], _ metadata: MaxMindMetadata, node: Int, bit: Int) throws(MaxMindDBError) -> Int {
        let nodeSize = metadata.recordSize / 4
        let start = node * nodeSize
        guard start >= 0, start + nodeSize <= bytes.count else { throw .invalidTree("node \(node) outside the file") }
        func read(_ offset: Int, _ count: Int) -> Int {
            var value = 0
            for index in 0..<count { value = value << 8 | Int(bytes[start + offset + index]) }
            return value
        }
        switch (metadata.recordSize, bit) {
        case (24, 0): return read(0, 3)
        case (24, _): return read(3, 3)
        case (28, 0): return Int(bytes[start + 3] >> 4) << 24 | read(0, 3)
        case (28, _): return Int(bytes[start + 3] & 0x0F) << 24 | read(4, 3)
        case (32, 0): return read(0, 4)
        default: return read(4, 4)
        }
    }

    private static func lastMarker(in bytes: [UInt8]) -> Int? {
        let lowest = max(0, bytes.count - GuardLimits.mmdbMetadataSearchWindow)
        var start = bytes.count - marker.count
        while start >= lowest {
            if bytes[start] == marker[0], bytes[start..<(start + marker.count)].elementsEqual(marker) { return start }
            start -= 1
        }
        return nil
    }

    private static func metadata(from value: MaxMindValue) throws(MaxMindDBError) -> MaxMindMetadata {
        guard case .map = value else { throw .invalidMetadata("not a map") }
        func number(_ key: String) throws(MaxMindDBError) -> UInt64 {
            guard let number = value[key]?.uintValue else { throw .invalidMetadata("\(key) missing") }
            return number
        }
        let nodeCount = try number("node_count")
        let recordSize = try number("record_size")
        let ipVersion = try number("ip_version")
        let major = try number("binary_format_major_version")
        guard major == 2 else { throw .invalidMetadata("format version \(major), expected 2") }
        guard [24, 28, 32].contains(recordSize) else { throw .invalidMetadata("record size \(recordSize)") }
        guard ipVersion == 4 || ipVersion == 6 else { throw .invalidMetadata("ip_version \(ipVersion)") }
        guard nodeCount <= UInt64(GuardLimits.maxMMDBFileSize) else { throw .invalidMetadata("node_count \(nodeCount)") }
        var languages: [String] = []
        if case let .array(items)? = value["languages"] { languages = items.compactMap(\.stringValue) }
        return MaxMindMetadata(
            nodeCount: Int(nodeCount), recordSize: Int(recordSize), ipVersion: Int(ipVersion),
            databaseType: value["database_type"]?.stringValue ?? "",
            languages: languages, buildEpoch: value["build_epoch"]?.uintValue ?? 0,
            majorVersion: Int(major), minorVersion: Int(value["binary_format_minor_version"]?.uintValue ?? 0))
    }
}
