/// How a lookup failed. Callers switch on it to tell "the name does not exist" from "it exists
/// but has no record of this type" from "we could not find out".
public enum DNSLookupError: Error, Sendable, Equatable {
    /// RCODE 3: the name does not exist (RFC 1035 §4.1.1, RFC 8020).
    case nameDoesNotExist(String)
    /// NOERROR with no record of the asked type ("NODATA", RFC 2308 §2.2).
    case noData(String, DNSRecordType)
    /// No answer within the timeout after every retry.
    case timeout
    /// SERVFAIL, REFUSED, NOTIMP, FORMERR or another RCODE.
    case serverFailure(DNSResponseCode)
    /// The answer could not be decoded or did not match the question.
    case malformedResponse(String)
    /// The name given is not a valid domain name or address.
    case invalidName(String)
    /// The nameserver could not be reached (connection refused, network unreachable …).
    case transport(String)

    public var summary: String {
        switch self {
        case .nameDoesNotExist(let name): "\(name) does not exist (NXDOMAIN)"
        case .noData(let name, let type): "\(name) has no \(type) record"
        case .timeout: "the DNS server did not answer in time"
        case .serverFailure(let code): "the DNS server failed (\(code))"
        case .malformedResponse(let why): "the DNS answer was malformed (\(why))"
        case .invalidName(let name): "\(name) is not a valid name"
        case .transport(let why): "the DNS server could not be reached (\(why))"
        }
    }
}
