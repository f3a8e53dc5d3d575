import Foundation
import FacteurNet

/// A stub resolver (RFC 1035 §7): sends recursive queries to one nameserver over UDP, retries
/// on timeout, and repeats the query over TCP when the answer has the TC bit (RFC 7766 §5).
public struct DNSResolver: DNSRecordLookup {
    public var nameserver: SocketAddressText
    /// Time allowed for each attempt.
    public var timeout: Duration
    /// Attempts after the first one when the server does not answer.
    public var retries: Int
    public var transport: any DNSTransport

    public init(nameserver: SocketAddressText, timeout: Duration = .seconds(2), retries: Int = 2,
                transport: any DNSTransport = SocketDNSTransport()) {
        self.nameserver = nameserver
        self.timeout = timeout
        self.retries = max(0, retries)
        self.transport = transport
    }

    /// A resolver for the first `nameserver` of resolv.conf, or nil when there is none.
    public static func system(resolvConfPath: String = ResolvConf.defaultPath, timeout: Duration = .seconds(2),
                              retries: Int = 2) -> DNSResolver? {
        guard let data = FileManager.default.contents(atPath: resolvConfPath),
              data.count <= ResolvConf.maxFileBytes,
              let first = ResolvConf.nameservers(in: String(decoding: data, as: UTF8.self)).first else { return nil }
        return DNSResolver(nameserver: first, timeout: timeout, retries: retries)
    }

    // MARK: Raw queries

    /// Sends one query and returns the matching response, whatever its RCODE.
    public func query(_ name: DNSName, type: DNSRecordType) async throws(DNSLookupError) -> DNSMessage {
        let id = UInt16.random(in: .min ... .max)
        let message = DNSMessage.query(id: id, name: name, type: type)
        let bytes: [UInt8]
        do { bytes = try message.encode() } catch { throw .invalidName(name.description) }
        let question = DNSQuestion(name: name, type: type)
        // RFC 5452 §4: only a response with our ID is considered; others are ignored.
        let accepts: @Sendable ([UInt8]) -> Bool = { raw in
            raw.count >= 3 && raw[0] == UInt8(id >> 8) && raw[1] == UInt8(id & 0xFF) && raw[2] & 0x80 != 0
        }
        var lastError = DNSLookupError.timeout
        for _ in 0...retries {
            let raw: [UInt8]
            do {
                raw = try await transport.exchangeUDP(bytes, with: nameserver, timeout: timeout, accepts: accepts)
            } catch {
                switch error {
                case .timeout, .transport: lastError = error; continue
                default: throw error
                }
            }
            let response = try Self.validated(raw, id: id, question: question)
            guard response.header.truncated else { return response }
            let full = try await transport.exchangeTCP(bytes, with: nameserver, timeout: timeout)
            return try Self.validated(full, id: id, question: question)
        }
        throw lastError
    }

    /// The answer records of `type` for `name`, following a CNAME chain inside the answer.
    /// Throws `.nameDoesNotExist`, `.noData`, `.serverFailure` as appropriate.
    public func records(_ name: String, type: DNSRecordType) async throws(DNSLookupError) -> [DNSResourceRecord] {
        let owner: DNSName
        do { owner = try DNSName(name) } catch { throw .invalidName(name) }
        let response = try await query(owner, type: type)
        return try Self.answers(in: response, for: owner, type: type)
    }

    static func answers(in response: DNSMessage, for name: DNSName, type: DNSRecordType) throws(DNSLookupError) -> [DNSResourceRecord] {
        switch response.header.responseCode {
        case .noError: break
        case .nameError: throw .nameDoesNotExist(name.description)
        default: throw .serverFailure(response.header.responseCode)
        }
        var owner = name
        for _ in 0...DNSLimits.maxCNAMEChain {
            let direct = response.answers.filter { $0.name == owner && $0.type == type }
            if !direct.isEmpty { return direct }
            guard let alias = response.answers.first(where: { $0.name == owner && $0.type == .cname }),
                  case .cname(let target) = alias.data else { break }
            owner = target
        }
        throw .noData(name.description, type)
    }

    static func validated(_ raw: [UInt8], id: UInt16, question: DNSQuestion) throws(DNSLookupError) -> DNSMessage {
        let message: DNSMessage
        do { message = try DNSMessage.decode(raw) } catch { throw .malformedResponse("\(error)") }
        guard message.header.id == id, message.header.isResponse else { throw .malformedResponse("wrong ID") }
        // RFC 5452 §9.1: the question must be echoed back.
        guard message.questions.count == 1, message.questions[0].name == question.name,
              message.questions[0].type == question.type else { throw .malformedResponse("question does not match") }
        return message
    }
}
