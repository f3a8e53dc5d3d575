/// The fixed 12-octet header of every DNS message (RFC 1035 §4.1.1). Section counts are not
/// stored: they come from the message's arrays when encoding.
public struct DNSHeader: Sendable, Hashable {
    public var id: UInt16
    /// QR: false for a query, true for a response.
    public var isResponse: Bool
    public var opcode: UInt8
    /// AA: the answer comes from an authoritative server.
    public var authoritative: Bool
    /// TC: the message was truncated to fit UDP; retry over TCP (RFC 1035 §4.2.1, RFC 7766 §5).
    public var truncated: Bool
    /// RD: the client asks for recursion.
    public var recursionDesired: Bool
    /// RA: the server offers recursion.
    public var recursionAvailable: Bool
    public var responseCode: DNSResponseCode

    public init(id: UInt16, isResponse: Bool = false, opcode: UInt8 = 0, authoritative: Bool = false,
                truncated: Bool = false, recursionDesired: Bool = true, recursionAvailable: Bool = false,
                responseCode: DNSResponseCode = .noError) {
        self.id = id; self.isResponse = isResponse; self.opcode = opcode & 0x0F
        self.authoritative = authoritative; self.truncated = truncated
        self.recursionDesired = recursionDesired; self.recursionAvailable = recursionAvailable
        self.responseCode = responseCode
    }

    /// The 16 flag bits: QR | Opcode(4) | AA | TC | RD | RA | Z(3) | RCODE(4).
    var flags: UInt16 {
        var value: UInt16 = 0
        if isResponse { value |= 0x8000 }
        value |= UInt16(opcode & 0x0F) << 11
        if authoritative { value |= 0x0400 }
        if truncated { value |= 0x0200 }
        if recursionDesired { value |= 0x0100 }
        if recursionAvailable { value |= 0x0080 }
        value |= UInt16(responseCode.rawValue)
        return value
    }

    init(id: UInt16, flags: UInt16) {
        self.init(id: id, isResponse: flags & 0x8000 != 0, opcode: UInt8((flags >> 11) & 0x0F),
                  authoritative: flags & 0x0400 != 0, truncated: flags & 0x0200 != 0,
                  recursionDesired: flags & 0x0100 != 0, recursionAvailable: flags & 0x0080 != 0,
                  responseCode: DNSResponseCode(rawValue: UInt8(flags & 0x000F)))
    }
}
