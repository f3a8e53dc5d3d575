import FacteurMIME

/// `BODY[section]<partial>` (RFC 3501 §6.4.5): which octets a section names.
///
/// Part numbering: a multipart's children are 1, 2, …; a non-multipart message has only part
/// 1, its body; a message/rfc822 part's number followed by further numbers addresses the
/// encapsulated message's parts, and followed by HEADER / TEXT / HEADER.FIELDS its header or
/// body. A section that does not exist gives nil (the server sends NIL).
extension MIMEMessage {
    public func section(_ spec: SectionSpec) -> [UInt8]? {
        guard let node = resolve(spec.part) else { return nil }
        guard let text = spec.text else {
            if spec.part.isEmpty { return bytes }
            return Array(bytes[node.bodyRange])
        }
        if text == .mime { return spec.part.isEmpty ? nil : Array(bytes[node.headerRange]) }
        // HEADER / TEXT / HEADER.FIELDS apply to a message: the root, or an encapsulated one.
        let message: MIMEPart
        if spec.part.isEmpty {
            message = root
        } else if case .message(let box) = node.content {
            message = box.part
        } else {
            return nil
        }
        switch text {
        case .header: return Array(bytes[message.headerRange])
        case .text: return Array(bytes[message.bodyRange])
        case .headerFields(let names): return headerFields(message, names: names, matching: true)
        case .headerFieldsNot(let names): return headerFields(message, names: names, matching: false)
        case .mime: return nil
        }
    }

    /// `BODY[section]<origin.count>`: the slice, empty when the origin is past the end.
    public static func partial(_ data: [UInt8], _ range: ClosedRange<UInt32>?) -> [UInt8] {
        guard let range else { return data }
        let start = Int(range.lowerBound)
        guard start < data.count else { return [] }
        let count = Int(UInt64(range.upperBound) - UInt64(range.lowerBound) + 1)
        return Array(data[start..<min(data.count, start + count)])
    }

    /// Walks a part path to its node. `isMessage` tracks whether the current node stands for
    /// a message (root or encapsulated), whose lone non-multipart body is part 1.
    func resolve(_ path: [Int]) -> MIMEPart? {
        var node = root
        var isMessage = true
        for number in path {
            var stepped = false
            while !stepped {
                switch node.content {
                case .multipart(let children):
                    guard number >= 1, number <= children.count else { return nil }
                    node = children[number - 1]
                    isMessage = false
                    stepped = true
                case .message(let box) where !isMessage:
                    node = box.part
                    isMessage = true
                default:
                    guard isMessage, number == 1 else { return nil }
                    isMessage = false
                    stepped = true
                }
            }
        }
        return node
    }

    /// The named fields of a header, in message order, then the blank line (RFC 3501 §6.4.5).
    private func headerFields(_ message: MIMEPart, names: [String], matching: Bool) -> [UInt8] {
        let wanted = Set(names.map { $0.lowercased() })
        var output: [UInt8] = []
        for field in message.header.fields where wanted.contains(field.name.lowercased()) == matching {
            output.append(contentsOf: bytes[field.range])
        }
        output.append(contentsOf: [13, 10])
        return output
    }

    /// RFC822.HEADER
    public var headerBytes: [UInt8] { Array(bytes[root.headerRange]) }
    /// RFC822.TEXT / BODY[TEXT]
    public var textBytes: [UInt8] { Array(bytes[root.bodyRange]) }
}
