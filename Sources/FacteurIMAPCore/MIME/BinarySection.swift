import FacteurMIME

/// A part whose Content-Transfer-Encoding the server cannot undo (RFC 3516 §4.3:
/// the FETCH fails with `NO [UNKNOWN-CTE]`).
public struct BinaryDecodingError: Error, Sendable, Equatable {
    public var encoding: String
    public init(encoding: String) { self.encoding = encoding }
    public var reason: String { "Unknown Content-Transfer-Encoding \(encoding)" }
}

/// `BINARY[section]` (RFC 3516 §4.2): the part's content with its Content-Transfer-Encoding
/// removed. `BINARY[]` is the whole message as stored; a multipart or message/rfc822 part is
/// sent as it is (it has no encoding of its own to remove: RFC 2045 §6.4 allows only the
/// identity encodings there). A part that does not exist gives nil (NIL).
extension MIMEMessage {
    public func binarySection(_ part: [Int]) throws(BinaryDecodingError) -> [UInt8]? {
        guard !part.isEmpty else { return bytes }
        guard let node = resolve(part) else { return nil }
        let body = bytes[node.bodyRange]
        guard case .leaf = node.content else { return Array(body) }
        switch node.transferEncoding {
        case nil, "7bit", "8bit", "binary": return Array(body)
        case "base64": return Base64.decode(body) ?? []
        case "quoted-printable": return QuotedPrintable.decode(Self.withoutTransportPadding(body))
        case let other?: throw BinaryDecodingError(encoding: other)
        }
    }
}

extension MIMEMessage {
    /// RFC 2045 §6.7 rule 3: white space at the end of an encoded line is transport padding
    /// and is deleted when decoding (`=20` keeps a space that belongs to the text).
    static func withoutTransportPadding(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        var pendingBlanks = 0
        for byte in body {
            if byte == 32 || byte == 9 {
                output.append(byte)
                pendingBlanks += 1
                continue
            }
            if byte == 13 || byte == 10 { output.removeLast(pendingBlanks) }
            pendingBlanks = 0
            output.append(byte)
        }
        return output
    }
}

/// What APPEND stores for a message sent as `literal8` (RFC 3516 §4.4): a part whose content
/// holds NUL octets cannot go out in a `BODY[]` literal, so it is stored base64-encoded with
/// its Content-Transfer-Encoding changed accordingly; `BINARY[part]` gives back the original
/// octets. A message without NUL is stored as it came.
public enum BinaryContentStorage {
    public static func storable(_ message: [UInt8]) -> [UInt8] {
        guard message.contains(0) else { return message }
        // Not converted to CRLF first: a binary body's LF octets are content, not line ends.
        let parsed = MIMEMessage(message)
        var leaves: [MIMEPart] = []
        collectLeaves(parsed.root, into: &leaves)
        var output: [UInt8] = []
        var cursor = 0
        let bytes = parsed.bytes
        for leaf in leaves where bytes[leaf.bodyRange].contains(0) {
            // The header without its Content-Transfer-Encoding fields, then ours.
            let headerEnd = leaf.header.fields.last?.range.upperBound ?? leaf.headerRange.lowerBound
            output.append(contentsOf: bytes[cursor..<leaf.headerRange.lowerBound])
            for field in leaf.header.fields where field.name.lowercased() != "content-transfer-encoding" {
                output.append(contentsOf: bytes[field.range])
            }
            output.append(contentsOf: Array("Content-Transfer-Encoding: base64\r\n".utf8))
            output.append(contentsOf: bytes[headerEnd..<leaf.bodyRange.lowerBound])
            output.append(contentsOf: wrappedBase64(bytes[leaf.bodyRange]))
            cursor = leaf.bodyRange.upperBound
        }
        output.append(contentsOf: bytes[cursor...])
        return output
    }

    private static func collectLeaves(_ part: MIMEPart, into leaves: inout [MIMEPart]) {
        switch part.content {
        case .leaf: leaves.append(part)
        case .multipart(let children): for child in children { collectLeaves(child, into: &leaves) }
        case .message(let box): collectLeaves(box.part, into: &leaves)
        }
    }

    /// Base64 in lines of 76 characters (RFC 2045 §6.8), each ended by CRLF.
    private static func wrappedBase64(_ data: ArraySlice<UInt8>) -> [UInt8] {
        let text = Array(Base64.encode(data).utf8)
        var output: [UInt8] = []
        output.reserveCapacity(text.count + text.count / 76 * 2 + 2)
        var start = 0
        while start < text.count {
            let end = min(text.count, start + 76)
            output.append(contentsOf: text[start..<end])
            output.append(contentsOf: [13, 10])
            start = end
        }
        return output
    }
}
