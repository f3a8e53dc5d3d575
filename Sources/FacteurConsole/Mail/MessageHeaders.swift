import FacteurMIME

/// Header fields of a message as the console shows them: unfolded (RFC 5322 §2.2.3) and with
/// encoded words decoded (RFC 2047).
public struct MessageHeaders: Sendable, Equatable {
    public var fields: [(name: String, value: String)]

    public static func == (a: MessageHeaders, b: MessageHeaders) -> Bool {
        a.fields.map(\.name) == b.fields.map(\.name) && a.fields.map(\.value) == b.fields.map(\.value)
    }

    public subscript(name: String) -> String? {
        let lower = name.lowercased()
        return fields.first(where: { $0.name.lowercased() == lower })?.value
    }

    public init(_ header: MessageHeader) {
        fields = header.fields.map { ($0.name, EncodedWord.decode($0.value)) }
    }
}
