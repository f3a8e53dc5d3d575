/// Framing of the control protocol: every message is a 4-byte big-endian length followed by that
/// many bytes of payload (UTF-8 JSON). No message is ever recognised by scanning for a
/// delimiter, so free text (a log line, a subject, a raw message) can never break a frame.
public enum ControlFrame {
    public static let headerBytes = 4

    /// The frame for a payload.
    public static func encode(_ payload: [UInt8]) -> [UInt8] {
        let n = UInt32(payload.count)
        var out = [UInt8]()
        out.reserveCapacity(headerBytes + payload.count)
        out.append(UInt8(truncatingIfNeeded: n >> 24)); out.append(UInt8(truncatingIfNeeded: n >> 16))
        out.append(UInt8(truncatingIfNeeded: n >> 8)); out.append(UInt8(truncatingIfNeeded: n))
        out += payload
        return out
    }

    /// Splits a byte stream into payloads. Bytes may arrive in any split; a frame is returned only
    /// when complete; a length above `limit` is an error (the connection must then be closed,
    /// since nothing after it can be trusted).
    public struct Decoder: Sendable {
        public let limit: Int
        private var buffer: [UInt8] = []
        private var start = 0

        public init(limit: Int) { self.limit = limit }

        /// Bytes received but not yet returned as a frame.
        public var buffered: Int { buffer.count - start }

        public mutating func append<S: Sequence>(_ bytes: S) where S.Element == UInt8 { buffer.append(contentsOf: bytes) }

        /// The next complete payload, nil when more bytes are needed.
        public mutating func next() throws(ControlFrameError) -> [UInt8]? {
            guard buffered >= headerBytes else { compact(); return nil }
            let length = Int(buffer[start]) << 24 | Int(buffer[start + 1]) << 16 | Int(buffer[start + 2]) << 8 | Int(buffer[start + 3])
            guard length <= limit else { throw .tooLarge(length: length, limit: limit) }
            guard buffered >= headerBytes + length else { compact(); return nil }
            let payload = Array(buffer[(start + headerBytes)..<(start + headerBytes + length)])
            start += headerBytes + length
            if start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
            return payload
        }

        private mutating func compact() {
            if start > 0 && start >= buffer.count / 2 { buffer.removeFirst(start); start = 0 }
        }
    }
}

public enum ControlFrameError: Error, Equatable, CustomStringConvertible {
    case tooLarge(length: Int, limit: Int)

    public var description: String {
        switch self {
        case let .tooLarge(length, limit): return "control frame of \(length) bytes exceeds the limit of \(limit)"
        }
    }
}
