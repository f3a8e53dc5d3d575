/// A parsed POP3 command (RFC 1939 §3, §9; RFC 2449 §5 CAPA; RFC 2595 §4 STLS; RFC 5034 §4 AUTH).
public enum POP3Command: Sendable, Equatable {
    case user(String)
    case pass([UInt8])
    /// `AUTH mechanism [initial-response]`; the mechanism is upper-cased. A bare `AUTH`
    /// (mechanism nil) asks for the mechanism list, as RFC 1734 clients still do.
    case auth(mechanism: String?, initialResponse: [UInt8]?)
    case stls
    case capa
    case stat
    case list(Int?)
    case retr(Int)
    case dele(Int)
    case noop
    case rset
    case quit
    case top(Int, lines: Int)
    case uidl(Int?)

    /// The verb as shown in events ("RETR").
    public var verb: String {
        switch self {
        case .user: "USER"
        case .pass: "PASS"
        case .auth: "AUTH"
        case .stls: "STLS"
        case .capa: "CAPA"
        case .stat: "STAT"
        case .list: "LIST"
        case .retr: "RETR"
        case .dele: "DELE"
        case .noop: "NOOP"
        case .rset: "RSET"
        case .quit: "QUIT"
        case .top: "TOP"
        case .uidl: "UIDL"
        }
    }

    public enum ParseError: Error, Sendable, Equatable {
        case empty
        case tooLong
        /// Control characters, or octets above 0x7E where only printable ASCII is allowed.
        case invalidCharacters
        case unknown(verb: String)
        /// A known verb with missing, extra or malformed arguments.
        case syntax(verb: String)
    }

    /// Parses one command line. A trailing CRLF or LF, if still present, is ignored.
    ///
    /// command = keyword *(SP argument) CRLF   (RFC 1939 §3; keywords are case-insensitive)
    /// Leniency: runs of spaces between arguments are accepted. PASS and USER take the rest of the
    /// line as their argument (RFC 1939 §7: "a POP3 server may treat spaces in the argument as part
    /// of the password") and accept UTF-8.
    public static func parse(_ raw: [UInt8], limits: POP3Limits = .standard) -> Result<POP3Command, ParseError> {
        var line = raw[...]
        if line.last == 0x0A { line = line.dropLast() }
        if line.last == 0x0D { line = line.dropLast() }
        guard !line.isEmpty else { return .failure(.empty) }
        let verbBytes = line.prefix { $0 != 0x20 }
        guard verbBytes.count <= 4, verbBytes.allSatisfy(isPrintableASCII) else {
            return .failure(line.count > limits.saslLineLength ? .tooLong : .unknown(verb: printable(verbBytes)))
        }
        let verb = String(decoding: verbBytes, as: UTF8.self).uppercased()
        let limit = verb == "AUTH" ? limits.saslLineLength : limits.commandLineLength
        guard line.count <= limit else { return .failure(.tooLong) }
        let rest = line.dropFirst(verbBytes.count + (verbBytes.count < line.count ? 1 : 0))

        if verb == "PASS" || verb == "USER" {
            guard !rest.isEmpty else { return .failure(.syntax(verb: verb)) }
            guard rest.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) else { return .failure(.invalidCharacters) }
            if verb == "PASS" {
                guard rest.count <= limits.passwordLength else { return .failure(.tooLong) }
                return .success(.pass(Array(rest)))
            }
            guard rest.count <= limits.userLength else { return .failure(.tooLong) }
            guard let name = String(validating: rest, as: UTF8.self) else { return .failure(.invalidCharacters) }
            return .success(.user(name))
        }

        guard rest.allSatisfy(isPrintableASCII) else { return .failure(.invalidCharacters) }
        let args = rest.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
        func none(_ command: POP3Command) -> Result<POP3Command, ParseError> {
            args.isEmpty ? .success(command) : .failure(.syntax(verb: verb))
        }
        func optionalNumber(_ make: (Int?) -> POP3Command) -> Result<POP3Command, ParseError> {
            if args.isEmpty { return .success(make(nil)) }
            guard args.count == 1, let n = number(args[0]) else { return .failure(.syntax(verb: verb)) }
            return .success(make(n))
        }
        func oneNumber(_ make: (Int) -> POP3Command) -> Result<POP3Command, ParseError> {
            guard args.count == 1, let n = number(args[0]) else { return .failure(.syntax(verb: verb)) }
            return .success(make(n))
        }

        switch verb {
        case "STLS": return none(.stls)
        case "CAPA": return none(.capa)
        case "STAT": return none(.stat)
        case "NOOP": return none(.noop)
        case "RSET": return none(.rset)
        case "QUIT": return none(.quit)
        case "LIST": return optionalNumber { .list($0) }
        case "UIDL": return optionalNumber { .uidl($0) }
        case "RETR": return oneNumber { .retr($0) }
        case "DELE": return oneNumber { .dele($0) }
        case "TOP":
            guard args.count == 2, let n = number(args[0]), let lines = number(args[1]) else {
                return .failure(.syntax(verb: verb))
            }
            return .success(.top(n, lines: lines))
        case "AUTH":
            // RFC 5034 §4: AUTH SP sasl-mech [SP initial-response]
            guard args.count <= 2 else { return .failure(.syntax(verb: verb)) }
            return .success(.auth(mechanism: args.first?.uppercased(),
                                  initialResponse: args.count == 2 ? Array(args[1].utf8) : nil))
        default:
            return .failure(.unknown(verb: verb))
        }
    }

    /// A non-negative decimal number. Values too large for Int saturate: they are just as
    /// "no such message" as any other out-of-range number, and TOP's line count is a bound anyway.
    public static func number(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        var value = 0
        for digit in text.utf8 {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int(digit - 0x30))
            if o1 || o2 { return Int.max }
            value = sum
        }
        return value
    }

    private static func isPrintableASCII(_ byte: UInt8) -> Bool { (0x21...0x7E).contains(byte) || byte == 0x20 }

    private static func printable(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix(8).map { isPrintableASCII($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}
