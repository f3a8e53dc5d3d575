import FacteurNet

/// Parses the PROXY protocol header a load balancer puts before the client's bytes
/// (haproxy proxy-protocol.txt). It consumes nothing: on `.parsed` the caller drops
/// `header.length` bytes; on `.incomplete` it calls again once more bytes have arrived.
public enum ProxyHeaderParser {
    /// "PROXY" SP (version 1, section 2.1).
    static let v1Prefix = Array("PROXY ".utf8)
    /// \r\n\r\n\0\r\nQUIT\n (version 2, section 2.2).
    static let v2Signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]

    /// Looks at the first bytes of a connection.
    public static func parse(_ stream: some Collection<UInt8>) -> ProxyHeaderResult {
        let bytes = Array(stream.prefix(GuardLimits.proxyV2FixedLength + GuardLimits.proxyV2MaxVariableLength))
        guard let first = bytes.first else { return .incomplete }
        if first == v1Prefix[0] { return parseV1(bytes) }
        if first == v2Signature[0] { return parseV2(bytes) }
        return .invalid(.notProxyProtocol)
    }

    // MARK: Version 1

    /// proxy-line = "PROXY" SP ( "TCP4" / "TCP6" ) SP src SP dst SP sport SP dport CRLF
    ///            / "PROXY" SP "UNKNOWN" *( any but CR ) CRLF        (section 2.1)
    static func parseV1(_ bytes: [UInt8]) -> ProxyHeaderResult {
        let prefixCount = min(bytes.count, v1Prefix.count)
        guard bytes[0..<prefixCount].elementsEqual(v1Prefix[0..<prefixCount]) else { return .invalid(.notProxyProtocol) }
        let window = bytes.prefix(GuardLimits.proxyV1MaxLength)
        guard let lineFeed = window.firstIndex(of: 0x0A) else {
            return bytes.count >= GuardLimits.proxyV1MaxLength ? .invalid(.tooLong) : .incomplete
        }
        guard lineFeed > 0, bytes[lineFeed - 1] == 0x0D else { return .invalid(.invalidV1("line not ended by CRLF")) }
        let line = bytes[0..<(lineFeed - 1)]
        guard !line.contains(0x0D) else { return .invalid(.invalidV1("CR inside the line")) }
        let fields = line.split(separator: 0x20, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        let length = lineFeed + 1
        guard fields.count >= 2 else { return .invalid(.invalidV1("no protocol")) }
        switch fields[1] {
        case "UNKNOWN":
            // Section 2.1: the receiver must ignore anything after UNKNOWN and use the socket.
            return .parsed(ProxyHeader(version: 1, command: .proxy, transport: .unspecified,
                                       source: nil, destination: nil, length: length))
        case "TCP4", "TCP6":
            guard fields.count == 6 else { return .invalid(.invalidV1("expected 6 fields, got \(fields.count)")) }
            let wantsIPv6 = fields[1] == "TCP6"
            guard let source = endpoint(fields[2], fields[4], ipv6: wantsIPv6) else {
                return .invalid(.invalidV1("bad source \(fields[2].prefix(48)) \(fields[4].prefix(8))"))
            }
            guard let destination = endpoint(fields[3], fields[5], ipv6: wantsIPv6) else {
                return .invalid(.invalidV1("bad destination \(fields[3].prefix(48)) \(fields[5].prefix(8))"))
            }
            return .parsed(ProxyHeader(version: 1, command: .proxy, transport: .tcp,
                                       source: source, destination: destination, length: length))
        default:
            return .invalid(.invalidV1("unknown protocol \(fields[1].prefix(16))"))
        }
    }

    /// An address of the family the line announced, and a port 0...65535 without leading zeros.
    private static func endpoint(_ address: String, _ port: String, ipv6: Bool) -> ProxyEndpoint? {
        guard address.contains(":") == ipv6, let parsed = IPAddress(address),
              let number = SocketAddressText.port(Substring(port))
        else { return nil }
        return ProxyEndpoint(address: parsed, port: number)
    }

    // MARK: Version 2

    /// signature(12) ver_cmd(1) fam(1) len(2, network order) addresses TLVs   (section 2.2)
    static func parseV2(_ bytes: [UInt8]) -> ProxyHeaderResult {
        let signatureCount = min(bytes.count, v2Signature.count)
        guard bytes[0..<signatureCount].elementsEqual(v2Signature[0..<signatureCount]) else { return .invalid(.notProxyProtocol) }
        guard bytes.count >= GuardLimits.proxyV2FixedLength else { return .incomplete }

        let versionCommand = bytes[12]
        guard versionCommand >> 4 == 2 else { return .invalid(.invalidV2("version \(versionCommand >> 4)")) }
        let command: ProxyHeader.Command
        switch versionCommand & 0x0F {
        case 0: command = .local
        case 1: command = .proxy
        default: return .invalid(.invalidV2("command \(versionCommand & 0x0F)"))
        }

        let familyByte = bytes[13]
        let transport: ProxyHeader.Transport
        switch familyByte & 0x0F {
        case 0: transport = .unspecified
        case 1: transport = .tcp
        case 2: transport = .udp
        default: return .invalid(.invalidV2("transport \(familyByte & 0x0F)"))
        }
        let family = familyByte >> 4
        guard family <= 3 else { return .invalid(.invalidV2("address family \(family)")) }

        let variableLength = Int(bytes[14]) << 8 | Int(bytes[15])
        guard variableLength <= GuardLimits.proxyV2MaxVariableLength else { return .invalid(.tooLong) }
        let length = GuardLimits.proxyV2FixedLength + variableLength
        guard bytes.count >= length else { return .incomplete }

        // LOCAL: the receiver must ignore the address block (section 2.2).
        guard command == .proxy else {
            return .parsed(ProxyHeader(version: 2, command: .local, transport: transport,
                                       source: nil, destination: nil, length: length))
        }
        let block = bytes[GuardLimits.proxyV2FixedLength..<length]
        let start = block.startIndex
        func port(_ offset: Int) -> UInt16 { UInt16(block[start + offset]) << 8 | UInt16(block[start + offset + 1]) }
        switch family {
        case 1: // AF_INET: src(4) dst(4) sport(2) dport(2)
            guard variableLength >= 12,
                  let source = IPAddress(bytes: block[start..<(start + 4)]),
                  let destination = IPAddress(bytes: block[(start + 4)..<(start + 8)])
            else { return .invalid(.invalidV2("IPv4 address block of \(variableLength) bytes")) }
            return .parsed(ProxyHeader(version: 2, command: .proxy, transport: transport,
                                       source: ProxyEndpoint(address: source, port: port(8)),
                                       destination: ProxyEndpoint(address: destination, port: port(10)),
                                       length: length))
        case 2: // AF_INET6: src(16) dst(16) sport(2) dport(2)
            guard variableLength >= 36,
                  let source = IPAddress(bytes: block[start..<(start + 16)]),
                  let destination = IPAddress(bytes: block[(start + 16)..<(start + 32)])
            else { return .invalid(.invalidV2("IPv6 address block of \(variableLength) bytes")) }
            return .parsed(ProxyHeader(version: 2, command: .proxy, transport: transport,
                                       source: ProxyEndpoint(address: source, port: port(32)),
                                       destination: ProxyEndpoint(address: destination, port: port(34)),
                                       length: length))
        case 3: // AF_UNIX: two 108-byte paths; no IP to report.
            guard variableLength >= 216 else { return .invalid(.invalidV2("UNIX address block of \(variableLength) bytes")) }
            return .parsed(ProxyHeader(version: 2, command: .proxy, transport: .unix,
                                       source: nil, destination: nil, length: length))
        default: // AF_UNSPEC: unknown origin, use the socket's addresses.
            return .parsed(ProxyHeader(version: 2, command: .proxy, transport: transport,
                                       source: nil, destination: nil, length: length))
        }
    }
}
