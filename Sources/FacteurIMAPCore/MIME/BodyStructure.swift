import FacteurMIME

/// `body-fld-dsp = "(" string SP body-fld-param ")"`
public struct BodyDisposition: Hashable, Sendable {
    public var kind: String
    public var parameters: [BodyParameter]
    public init(kind: String, parameters: [BodyParameter] = []) { self.kind = kind; self.parameters = parameters }
}

/// BODY / BODYSTRUCTURE (RFC 3501 §7.4.2): the MIME tree of a message.
public indirect enum BodyStructure: Hashable, Sendable {
    case single(SinglePart)
    case multi(Multipart)

    public struct SinglePart: Hashable, Sendable {
        public enum Kind: Hashable, Sendable {
            case basic
            /// `body-type-text`: lines of the encoded body.
            case text(lines: Int)
            /// `body-type-msg` (message/rfc822).
            case message(envelope: Envelope, body: BodyStructure, lines: Int)
        }
        public var type: String
        public var subtype: String
        public var parameters: [BodyParameter]
        public var id: String?
        public var description: String?
        public var encoding: String
        /// Octets of the body as stored (still transfer-encoded).
        public var size: Int
        public var kind: Kind
        public var md5: String?
        public var disposition: BodyDisposition?
        public var language: [String]?
        public var location: String?

        public init(type: String, subtype: String, parameters: [BodyParameter] = [], id: String? = nil,
                    description: String? = nil, encoding: String = "7BIT", size: Int, kind: Kind = .basic,
                    md5: String? = nil, disposition: BodyDisposition? = nil, language: [String]? = nil,
                    location: String? = nil) {
            self.type = type; self.subtype = subtype; self.parameters = parameters; self.id = id
            self.description = description; self.encoding = encoding; self.size = size; self.kind = kind
            self.md5 = md5; self.disposition = disposition; self.language = language; self.location = location
        }
    }

    public struct Multipart: Hashable, Sendable {
        public var parts: [BodyStructure]
        public var subtype: String
        public var parameters: [BodyParameter]
        public var disposition: BodyDisposition?
        public var language: [String]?
        public var location: String?

        public init(parts: [BodyStructure], subtype: String, parameters: [BodyParameter] = [],
                    disposition: BodyDisposition? = nil, language: [String]? = nil, location: String? = nil) {
            self.parts = parts; self.subtype = subtype; self.parameters = parameters
            self.disposition = disposition; self.language = language; self.location = location
        }
    }
}

extension IMAPWriter {
    /// `body`, with the extension data when `extensions` (BODYSTRUCTURE) and without (BODY).
    public mutating func body(_ body: BodyStructure, extensions: Bool) {
        raw("(")
        switch body {
        case .multi(let multi):
            for part in multi.parts { self.body(part, extensions: extensions) }
            space(); string(multi.subtype)
            if extensions {
                space(); parameters(multi.parameters)
                space(); disposition(multi.disposition)
                space(); language(multi.language)
                space(); nstring(multi.location)
            }
        case .single(let part):
            string(part.type); space(); string(part.subtype); space()
            parameters(part.parameters); space()
            nstring(part.id); space()
            nstring(part.description); space()
            string(part.encoding); space()
            raw(String(part.size))
            switch part.kind {
            case .basic: break
            case .text(let lines): raw(" \(lines)")
            case .message(let envelope, let inner, let lines):
                space(); self.envelope(envelope)
                space(); self.body(inner, extensions: extensions)
                raw(" \(lines)")
            }
            if extensions {
                space(); nstring(part.md5)
                space(); disposition(part.disposition)
                space(); language(part.language)
                space(); nstring(part.location)
            }
        }
        raw(")")
    }

    mutating func parameters(_ parameters: [BodyParameter]) {
        guard !parameters.isEmpty else { raw("NIL"); return }
        list(parameters) { writer, parameter in
            writer.string(parameter.name); writer.space(); writer.string(parameter.value)
        }
    }

    mutating func disposition(_ disposition: BodyDisposition?) {
        guard let disposition else { raw("NIL"); return }
        raw("("); string(disposition.kind); space(); parameters(disposition.parameters); raw(")")
    }

    mutating func language(_ languages: [String]?) {
        guard let languages, !languages.isEmpty else { raw("NIL"); return }
        if languages.count == 1 { string(languages[0]); return }
        list(languages) { $0.string($1) }
    }
}
