/// One `attribute=value` parameter of a MIME field (RFC 2045 §5.1), as IMAP's `body-fld-param` carries it.
public struct BodyParameter: Hashable, Sendable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}
