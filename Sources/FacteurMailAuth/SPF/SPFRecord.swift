import FacteurNet
import FacteurDNS

/// A parsed SPF record (RFC 7208 §4.5, §12):
///
///     record    = version terms *SP
///     version   = "v=spf1"
///     terms     = *( 1*SP ( directive / modifier ) )
///     directive = [ qualifier ] mechanism
///     modifier  = redirect / explanation / unknown-modifier
///
/// A syntax error anywhere makes the whole record a permerror (§4.6), so the record is parsed
/// completely before any term is evaluated.
public struct SPFRecord: Sendable, Hashable {
    public var directives: [SPFDirective]
    public var redirect: SPFMacroString?
    public var explanation: SPFMacroString?

    /// True when `text` is an SPF version 1 record: "v=spf1" then a space or the end (§4.5).
    public static func isSPF(_ text: String) -> Bool {
        let bytes = Array(text.utf8.prefix(7))
        guard bytes.count >= 6, String(decoding: bytes.prefix(6), as: UTF8.self).lowercased() == "v=spf1" else { return false }
        return bytes.count == 6 || bytes[6] == 32
    }

    /// Parses a record that `isSPF` accepted; nil is a permerror, with `error` saying why.
    public static func parse(_ text: String) -> Result<SPFRecord, SPFSyntaxError> {
        guard text.utf8.count <= MailAuthLimits.spfRecordBytes else { return .failure(SPFSyntaxError("record too long")) }
        guard text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else {
            return .failure(SPFSyntaxError("non-ASCII or control character in the record"))
        }
        var record = SPFRecord(directives: [], redirect: nil, explanation: nil)
        for term in text.split(separator: " ").dropFirst() {
            let term = String(term)
            if let modifier = modifierParts(term) {
                guard let value = SPFMacroString(modifier.value) else {
                    return .failure(SPFSyntaxError("bad macro-string in \(term)"))
                }
                switch modifier.name.lowercased() {
                case "redirect":
                    guard record.redirect == nil else { return .failure(SPFSyntaxError("two redirect modifiers")) }
                    guard isDomainSpec(value) else { return .failure(SPFSyntaxError("bad domain in \(term)")) }
                    record.redirect = value
                case "exp":
                    guard record.explanation == nil else { return .failure(SPFSyntaxError("two exp modifiers")) }
                    guard isDomainSpec(value) else { return .failure(SPFSyntaxError("bad domain in \(term)")) }
                    record.explanation = value
                default:
                    break // RFC 7208 §6: unknown modifiers are ignored.
                }
                continue
            }
            switch SPFDirective.parse(term) {
            case .success(let directive): record.directives.append(directive)
            case .failure(let error): return .failure(error)
            }
        }
        return .success(record)
    }

    /// `name "=" macro-string` with name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ).
    static func modifierParts(_ term: String) -> (name: String, value: String)? {
        guard let eq = term.firstIndex(of: "=") else { return nil }
        let name = term[..<eq]
        guard let first = name.first, first.isASCII, first.isLetter,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else { return nil }
        return (String(name), String(term[term.index(after: eq)...]))
    }

    /// domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) / macro-expand
    /// toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
    static func isDomainSpec(_ spec: SPFMacroString) -> Bool {
        guard !spec.tokens.isEmpty else { return false }
        if spec.endsWithMacro { return true }
        var text = spec.text
        if text.hasSuffix(".") { text.removeLast() }
        guard let dot = text.lastIndex(of: ".") else { return false }
        return isTopLabel(text[text.index(after: dot)...])
    }

    static func isTopLabel(_ label: Substring) -> Bool {
        guard let first = label.first, let last = label.last, first != "-", last != "-" else { return false }
        guard label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return false }
        // All digits is an address, not a name; a hyphen needs alphanumerics on both ends (checked above).
        return label.contains { $0.isLetter } || label.contains("-")
    }
}

public struct SPFSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// One directive: a qualifier and a mechanism (RFC 7208 §5).
public struct SPFDirective: Sendable, Hashable {
    public var qualifier: SPFQualifier
    public var mechanism: SPFMechanism

    static func parse(_ term: String) -> Result<SPFDirective, SPFSyntaxError> {
        var rest = Substring(term)
        var qualifier = SPFQualifier.pass
        if let first = rest.first, let q = SPFQualifier(rawValue: first) {
            qualifier = q
            rest = rest.dropFirst()
        }
        let nameEnd = rest.firstIndex { $0 == ":" || $0 == "/" } ?? rest.endIndex
        let name = rest[..<nameEnd].lowercased()
        let argument = rest[nameEnd...]
        let bad = SPFSyntaxError("bad term \(term)")
        func domain(_ text: Substring, required: Bool) -> Result<SPFMacroString?, SPFSyntaxError> {
            if text.isEmpty { return required ? .failure(bad) : .success(nil) }
            guard text.first == ":", let spec = SPFMacroString(String(text.dropFirst())),
                  SPFRecord.isDomainSpec(spec) else { return .failure(bad) }
            return .success(spec)
        }
        let mechanism: SPFMechanism
        switch name {
        case "all":
            guard argument.isEmpty else { return .failure(bad) }
            mechanism = .all
        case "include", "exists", "ptr":
            guard case .success(let spec) = domain(argument, required: name != "ptr") else { return .failure(bad) }
            mechanism = name == "include" ? .include(spec!) : name == "exists" ? .exists(spec!) : .ptr(spec)
        case "a", "mx":
            guard let (spec, cidr4, cidr6) = splitDualCIDR(argument) else { return .failure(bad) }
            guard case .success(let target) = domain(spec, required: false) else { return .failure(bad) }
            mechanism = name == "a" ? .a(target, cidr4: cidr4, cidr6: cidr6) : .mx(target, cidr4: cidr4, cidr6: cidr6)
        case "ip4", "ip6":
            guard argument.first == ":" else { return .failure(bad) }
            var text = argument.dropFirst()
            var prefix = name == "ip4" ? 32 : 128
            if let slash = text.firstIndex(of: "/") {
                guard let length = cidrLength(text[text.index(after: slash)...], max: prefix) else { return .failure(bad) }
                prefix = length
                text = text[..<slash]
            }
            // The family is the one written: "ip6:::FFFF:1.2.3.4" is a valid ip6 term although
            // the address is IPv4-mapped (and an IPv4-mapped client is IPv4, §5).
            guard let address = IPAddress(String(text)), !text.contains("%"),
                  text.contains(":") == (name == "ip6") else { return .failure(bad) }
            let network = name == "ip4" ? IPNetwork(address: address, prefixLength: prefix)
                                        : IPNetwork(address: address, length128: prefix)
            guard let network else { return .failure(bad) }
            mechanism = .ip(network)
        default:
            return .failure(SPFSyntaxError("unknown mechanism \(term)"))
        }
        return .success(SPFDirective(qualifier: qualifier, mechanism: mechanism))
    }

    /// Splits `[":" domain-spec] [ ip4-cidr ] [ "/" ip6-cidr ]` (dual-cidr-length, §5.6) from the
    /// end. A slash followed by anything but digits belongs to the domain-spec.
    static func splitDualCIDR(_ argument: Substring) -> (Substring, Int, Int)? {
        var text = argument
        var cidr4 = 32, cidr6 = 128
        func digitsAfter(_ index: Substring.Index, _ width: Int) -> Substring? {
            let tail = text[text.index(index, offsetBy: width)...]
            return !tail.isEmpty && tail.allSatisfy({ $0.isASCII && $0.isNumber }) ? tail : nil
        }
        if let range = text.range(of: "//", options: .backwards), let digits = digitsAfter(range.lowerBound, 2) {
            guard let v6 = cidrLength(digits, max: 128) else { return nil }
            cidr6 = v6
            text = text[..<range.lowerBound]
        }
        if let slash = text.lastIndex(of: "/"), let digits = digitsAfter(slash, 1) {
            guard let v4 = cidrLength(digits, max: 32) else { return nil }
            cidr4 = v4
            text = text[..<slash]
        }
        return (text, cidr4, cidr6)
    }

    /// "0" / %x31-39 0*2DIGIT, at most `max`.
    static func cidrLength(_ text: Substring, max: Int) -> Int? {
        guard !text.isEmpty, text.count <= 3, text.allSatisfy({ $0.isASCII && $0.isNumber }),
              text == "0" || text.first != "0", let n = Int(text), n <= max else { return nil }
        return n
    }
}

/// A mechanism (RFC 7208 §5). Targets are macro-strings; nil means the current domain.
public enum SPFMechanism: Sendable, Hashable {
    case all
    case include(SPFMacroString)
    case a(SPFMacroString?, cidr4: Int, cidr6: Int)
    case mx(SPFMacroString?, cidr4: Int, cidr6: Int)
    case ptr(SPFMacroString?)
    /// ip4 / ip6 (§5.6), as a network over the 128-bit form.
    case ip(IPNetwork)
    case exists(SPFMacroString)

    /// Terms that count against the 10-lookup limit (§4.6.4).
    var queriesDNS: Bool {
        switch self {
        case .all, .ip: false
        default: true
        }
    }
}
