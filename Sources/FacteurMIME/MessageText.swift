/// Decoded text of a message for SEARCH BODY / TEXT (RFC 3501 §6.4.4): every text part with
/// its transfer encoding and charset removed; encapsulated messages contribute their header
/// and text too. Non-text parts (images, archives) are skipped.
extension MIMEMessage {
    public var bodyText: String {
        var pieces: [String] = []
        collectText(root, isRoot: true, into: &pieces)
        return pieces.joined(separator: "\n")
    }

    /// All header fields, encoded words decoded, one "Name: value" per line.
    public func headerText(of part: MIMEPart? = nil) -> String {
        (part ?? root).header.fields.map { "\($0.name): \(EncodedWord.decode($0.value))" }.joined(separator: "\n")
    }

    private func collectText(_ part: MIMEPart, isRoot: Bool, into pieces: inout [String]) {
        switch part.content {
        case .multipart(let children):
            for child in children { collectText(child, isRoot: false, into: &pieces) }
        case .message(let box):
            pieces.append(headerText(of: box.part))
            collectText(box.part, isRoot: false, into: &pieces)
        case .leaf:
            guard part.contentType.value == "text" else { return }
            let decoded = TextDecoding.decodeTransfer(bytes[part.bodyRange], encoding: part.transferEncoding)
            pieces.append(TextDecoding.decode(decoded, charset: part.contentType.parameter("charset")))
        }
    }
}
