import FacteurMIME

/// Builds BODYSTRUCTURE (RFC 3501 §7.4.2) from the MIME tree.
///
/// Spelling: types, subtypes, parameter names, encodings and disposition types are sent
/// uppercased (as in the RFC 3501 examples); parameter values as written. A text part without
/// a charset gets ("CHARSET" "us-ascii"); a part without Content-Type is ("TEXT" "PLAIN"
/// ("CHARSET" "us-ascii")), inside multipart/digest
/// ("MESSAGE" "RFC822" NIL). `lines` counts line ends plus an unterminated last line.
extension MIMEMessage {
    public var bodyStructure: BodyStructure { root.bodyStructure(in: bytes) }
}

extension MIMEPart {
    public func bodyStructure(in bytes: [UInt8]) -> BodyStructure {
        let disposition = header.first("Content-Disposition").flatMap(MIMEFieldValue.disposition).map {
            BodyDisposition(kind: $0.value.uppercased(), parameters: $0.parameters.map(Self.upperName))
        }
        let language = header.first("Content-Language").map { value in
            value.split(separator: ",").map { $0.description.trimmingWhitespace() }.filter { !$0.isEmpty }
        }
        let location = header.first("Content-Location").map { $0.trimmingWhitespace() }
        var parameters = contentType.parameters.map(Self.upperName)
        // A text part without a charset is us-ascii (RFC 2045 §5.2), reported as Dovecot does
        // whether or not the part had a Content-Type.
        if contentType.value == "text" && contentType.parameter("charset") == nil {
            parameters.insert(BodyParameter("CHARSET", "us-ascii"), at: 0)
        }
        switch content {
        case .multipart(let children):
            return .multi(BodyStructure.Multipart(
                parts: children.map { $0.bodyStructure(in: bytes) },
                subtype: contentType.subtype.uppercased(), parameters: parameters,
                disposition: disposition, language: language, location: location))
        case .leaf, .message:
            let lines = LineEndings.countLines(bytes[bodyRange])
            var kind = BodyStructure.SinglePart.Kind.basic
            if case .message(let box) = content {
                kind = .message(envelope: Envelope(header: box.part.header), body: box.part.bodyStructure(in: bytes), lines: lines)
            } else if contentType.value == "message" && contentType.subtype == "rfc822" {
                // Left opaque by the parser (encoded, or too deep): the grammar still needs an
                // envelope and a body after "MESSAGE" "RFC822", so an empty message stands in.
                let empty = BodyStructure.single(.init(type: "TEXT", subtype: "PLAIN", parameters: [BodyParameter("CHARSET", "us-ascii")],
                                                       encoding: "7BIT", size: 0, kind: .text(lines: 0)))
                kind = .message(envelope: Envelope(), body: empty, lines: lines)
            } else if contentType.value == "text" {
                kind = .text(lines: lines)
            }
            return .single(BodyStructure.SinglePart(
                type: contentType.value.uppercased(), subtype: contentType.subtype.uppercased(),
                parameters: parameters,
                id: header.first("Content-ID").map { $0.trimmingWhitespace() },
                description: header.first("Content-Description").map { $0.trimmingWhitespace() },
                encoding: (transferEncoding ?? "7bit").uppercased(),
                size: bodyRange.count, kind: kind,
                md5: header.first("Content-MD5").map { $0.trimmingWhitespace() },
                disposition: disposition, language: language, location: location))
        }
    }

    private static func upperName(_ parameter: BodyParameter) -> BodyParameter {
        BodyParameter(parameter.name.uppercased(), parameter.value)
    }
}
