import FacteurMIME

/// Serialises responses (RFC 3501 §7, §9 "response").
public enum IMAPResponseEncoder {
    public static func encode(_ response: IMAPResponse) -> [UInt8] {
        var writer = IMAPWriter()
        writer.response(response)
        return writer.bytes
    }

    /// Encodes several responses into one buffer (one write to the socket).
    public static func encode(_ responses: [IMAPResponse]) -> [UInt8] {
        var writer = IMAPWriter()
        for response in responses { writer.response(response) }
        return writer.bytes
    }
}

extension IMAPWriter {
    public mutating func response(_ response: IMAPResponse) {
        switch response {
        case .tagged(let tag, let status, let code, let text):
            raw(tag); space(); raw(status.rawValue); space()
            responseText(code, text)
        case .untagged(let data):
            raw("* ")
            untagged(data)
        case .continuation(let text):
            raw("+ ")
            raw(IMAPWriter.sanitizedText(text.isEmpty ? "Ready" : text))
        case .challenge(let data):
            raw("+ ")
            raw(Base64.encode(data))
        }
        crlf()
    }

    /// `resp-text = ["[" resp-text-code "]" SP] text`
    mutating func responseText(_ code: ResponseCode?, _ text: String) {
        if let code { responseCode(code); space() }
        raw(IMAPWriter.sanitizedText(text.isEmpty ? "completed" : text))
    }

    mutating func untagged(_ data: UntaggedResponse) {
        switch data {
        case .condition(let status, let code, let text):
            raw(status.rawValue); space(); responseText(code, text)
        case .capability(let names):
            raw("CAPABILITY " + names.joined(separator: " "))
        case .list(let entry):
            raw("LIST "); listEntry(entry)
        case .lsub(let entry):
            raw("LSUB "); listEntry(entry)
        case .status(let name, let items):
            raw("STATUS "); mailbox(name); space()
            list(items) { writer, item in writer.raw("\(item.attribute.rawValue) \(item.value)") }
        case .exists(let count): raw("\(count) EXISTS")
        case .recent(let count): raw("\(count) RECENT")
        case .expunge(let number): raw("\(number) EXPUNGE")
        case .fetch(let number, let items):
            raw("\(number) FETCH ")
            list(items) { $0.fetchItem($1) }
        case .search(let numbers):
            raw("SEARCH")
            for number in numbers { raw(" \(number)") }
        case .flags(let flags):
            raw("FLAGS "); flagList(flags)
        case .namespace(let personal, let other, let shared):
            raw("NAMESPACE ")
            namespaceList(personal); space(); namespaceList(other); space(); namespaceList(shared)
        case .id(let parameters):
            raw("ID ")
            if let parameters, !parameters.isEmpty {
                list(parameters) { writer, pair in writer.string(pair.key); writer.space(); writer.nstring(pair.value) }
            } else {
                raw("NIL")
            }
        case .enabled(let names):
            raw("ENABLED")
            for name in names { raw(" \(name)") }
        case .vanished(let earlier, let uids):
            raw(earlier ? "VANISHED (EARLIER) \(uids)" : "VANISHED \(uids)")
        case .searchModSeq(let numbers, let modSeq):
            raw("SEARCH")
            for number in numbers { raw(" \(number)") }
            raw(" (MODSEQ \(modSeq))")
        case .esearch(let response): esearch(response)
        case .sort(let numbers):
            raw("SORT")
            for number in numbers { raw(" \(number)") }
        case .thread(let threads): thread(threads)
        case .quota(let root, let resources): quotaResponse(root: root, resources: resources)
        case .quotaRoot(let name, let roots): quotaRootResponse(name, roots: roots)
        }
    }

    /// `mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox`
    mutating func listEntry(_ entry: ListEntry) {
        list(entry.attributes) { $0.raw($1) }
        space()
        if let delimiter = entry.delimiter { string(Array(String(delimiter).utf8)) } else { raw("NIL") }
        space()
        // Always quoted or literal: some clients mishandle bare atoms here.
        string(Array(entry.name.wire.utf8))
        if !entry.childInfo.isEmpty {
            raw(" (\"CHILDINFO\" "); list(entry.childInfo) { $0.string($1) }; raw(")")
        }
    }

    mutating func namespaceList(_ descriptions: [NamespaceDescription]?) {
        guard let descriptions, !descriptions.isEmpty else { raw("NIL"); return }
        raw("(")
        for description in descriptions {
            raw("(")
            string(description.prefix); space()
            if let delimiter = description.delimiter { string(String(delimiter)) } else { raw("NIL") }
            raw(")")
        }
        raw(")")
    }

    mutating func fetchItem(_ item: FetchResponseItem) {
        switch item {
        case .flags(let flags): raw("FLAGS "); flagList(flags)
        case .internalDate(let date): raw("INTERNALDATE \"\(date)\"")
        case .rfc822Size(let size): raw("RFC822.SIZE \(size)")
        case .uid(let uid): raw("UID \(uid)")
        case .envelope(let value): raw("ENVELOPE "); envelope(value)
        case .body(let value): raw("BODY "); body(value, extensions: false)
        case .bodyStructure(let value): raw("BODYSTRUCTURE "); body(value, extensions: true)
        case .bodySection(let spec, let origin, let data):
            raw("BODY["); section(spec); raw("]")
            if let origin { raw("<\(origin)>") }
            space(); messageData(data)
        case .rfc822(let data): raw("RFC822 "); messageData(data)
        case .rfc822Header(let data): raw("RFC822.HEADER "); messageData(data)
        case .rfc822Text(let data): raw("RFC822.TEXT "); messageData(data)
        case .modSeq(let value): raw("MODSEQ (\(value))")
        case .binary(let part, let origin, let data):
            raw("BINARY"); binarySection(part)
            if let origin { raw("<\(origin)>") }
            space(); binaryData(data)
        case .binarySize(let part, let size): raw("BINARY.SIZE"); binarySection(part); raw(" \(size)")
        }
    }

    /// Message bodies are always literals: they are large and contain CRLF; an empty
    /// section is `""` (RFC 3501 §6.4.5 allows either).
    mutating func messageData(_ data: [UInt8]?) {
        guard let data else { raw("NIL"); return }
        if data.isEmpty { raw("\"\"") } else { literal(data) }
    }
}
