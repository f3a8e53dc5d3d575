/// The domain of the RFC5322.From address (RFC 7489 §6.6.1), read leniently but bounded.
public enum FromDomain {
    public enum Problem: Error, Sendable, Hashable {
        /// No From field, or more than one (RFC 5322 §3.6 allows exactly one).
        case fieldCount(Int)
        /// The field does not hold exactly one address with a domain.
        case unparsable
    }

    /// The lowercased domain of the single From address.
    public static func domain(in header: MessageHeader) -> Result<String, Problem> {
        let fields = header.fields(named: "from")
        guard fields.count == 1 else { return .failure(.fieldCount(fields.count)) }
        let addresses = addresses(in: fields[0].value)
        guard addresses.count == 1, let at = addresses[0].lastIndex(of: "@") else { return .failure(.unparsable) }
        var domain = addresses[0][addresses[0].index(after: at)...].lowercased()
        if domain.hasSuffix(".") { domain.removeLast() }
        guard !domain.isEmpty, !domain.contains("["), domain.allSatisfy({ $0 != " " }) else { return .failure(.unparsable) }
        return .success(domain)
    }

    /// The addr-specs of an address-list: comments, quoted strings and display names skipped;
    /// an angle-addr wins over the words before it.
    static func addresses(in value: String) -> [String] {
        var result: [String] = []
        var current = "", angle: String?
        var inQuote = false, inAngle = false, commentDepth = 0, escaped = false
        func finish() {
            let address = (angle ?? current).trimmingSpaces
            if !address.isEmpty { result.append(address) }
            current = ""; angle = nil
        }
        for c in value {
            if escaped {
                escaped = false
                if inAngle { angle?.append(c) } else if !inQuote && commentDepth == 0 { current.append(c) }
                continue
            }
            if c == "\\" { escaped = true; continue }
            if commentDepth > 0 {
                if c == "(" { commentDepth += 1 } else if c == ")" { commentDepth -= 1 }
                continue
            }
            if inQuote {
                if c == "\"" { inQuote = false }
                if !inAngle { current = "" }
                continue
            }
            switch c {
            case "\"": inQuote = true; current = ""
            case "(": commentDepth = 1
            case "<": inAngle = true; angle = ""
            case ">": inAngle = false
            case "," where !inAngle, ";" where !inAngle: finish()
            case ":" where !inAngle: current = "" // group name
            default:
                if inAngle { angle!.append(c) } else if c == " " || c == "\t" { if !current.contains("@") { current = "" } } else { current.append(c) }
            }
        }
        finish()
        return result
    }
}
