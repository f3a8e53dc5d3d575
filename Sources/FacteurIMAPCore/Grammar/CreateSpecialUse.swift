/// CREATE-SPECIAL-USE (RFC 6154 §3, RFC 4466 create-params):
///
///     create        = "CREATE" SP mailbox [SP "(" create-param *(SP create-param) ")"]
///     create-param  =/ "USE" SP "(" [use-attr *(SP use-attr)] ")"
extension IMAPReader {
    mutating func createCommand(_ name: IMAPMailboxName) throws(IMAPParseError) -> Command {
        guard peek == UInt8(ascii: " ") else { return .create(name) }
        try space()
        try expect(UInt8(ascii: "("), "'(' opening CREATE parameters")
        guard skipKeyword("USE") else { throw error("Unknown CREATE parameter") }
        try space()
        let use = try parenthesizedList(allowEmpty: true, limit: 10) { (reader: inout IMAPReader) throws(IMAPParseError) in
            try reader.expect(UInt8(ascii: "\\"), "a use attribute")
            return "\\" + (try reader.atom("a use attribute"))
        }
        try expect(UInt8(ascii: ")"), "')' closing CREATE parameters")
        return use.isEmpty ? .create(name) : .createSpecialUse(name, use: use)
    }
}

extension IMAPSession {
    /// RFC 6154 §3: an unknown use attribute, or more than one (storage keeps one per
    /// mailbox), is `NO [USEATTR]`.
    func createSpecialUse(_ name: IMAPMailboxName, use: [String], store: any IMAPMailStore) async throws {
        let known = use.compactMap { attribute in Self.specialUseAttributes.first { $0.caseInsensitiveCompare(attribute) == .orderedSame } }
        guard known.count == use.count, known.count == 1, let attribute = known.first else {
            throw SpecialUseError()
        }
        if name.isInbox { throw IMAPStoreError.alreadyExists }
        try Self.validated(name)
        try await store.create(name, specialUse: attribute)
    }
}

/// A CREATE asked for a special use the server does not support (`NO [USEATTR]`).
struct SpecialUseError: Error {}
