/// One SMTP command line, parsed (RFC 5321 §4.1.1, RFC 3030 BDAT, RFC 3207 STARTTLS).
/// Paths in MAIL/RCPT are parsed later by the session, which knows whether SMTPUTF8 applies.
public enum SMTPCommand: Sendable, Equatable {
    case helo(String)
    case ehlo(String)
    /// Everything after `MAIL FROM:`.
    case mail(Substring)
    /// Everything after `RCPT TO:`.
    case rcpt(Substring)
    case data
    case bdat(size: Int, last: Bool)
    case rset
    case noop
    case quit
    case vrfy(String)
    case expn(String)
    case help(String)
    case starttls
    case auth(String)

    /// Verb for events and logs.
    public var verb: String {
        switch self {
        case .helo: return "HELO"
        case .ehlo: return "EHLO"
        case .mail: return "MAIL"
        case .rcpt: return "RCPT"
        case .data: return "DATA"
        case .bdat: return "BDAT"
        case .rset: return "RSET"
        case .noop: return "NOOP"
        case .quit: return "QUIT"
        case .vrfy: return "VRFY"
        case .expn: return "EXPN"
        case .help: return "HELP"
        case .starttls: return "STARTTLS"
        case .auth: return "AUTH"
        }
    }

    /// Parses a command line without its CRLF.
    public static func parse(_ line: Substring) -> Result<SMTPCommand, SMTPReply> {
        let verbEnd = line.firstIndex(of: " ") ?? line.endIndex
        let verb = line[line.startIndex..<verbEnd].uppercased()
        let arg = verbEnd < line.endIndex ? line[line.index(after: verbEnd)...] : Substring("")
        func noArgs(_ c: SMTPCommand) -> Result<SMTPCommand, SMTPReply> {
            arg.allSatisfy({ $0 == " " }) ? .success(c) : .failure(SMTPReply(501, "5.5.4", "\(verb) takes no arguments"))
        }
        switch verb {
        case "HELO", "EHLO":
            let name = arg.trimmingSpaces()
            guard !name.isEmpty, !name.contains(" ") else {
                return .failure(SMTPReply(501, "5.5.4", "Syntax: \(verb) hostname"))
            }
            return .success(verb == "EHLO" ? .ehlo(String(name)) : .helo(String(name)))
        case "MAIL":
            guard arg.count >= 5, arg.prefix(5).uppercased() == "FROM:" else {
                return .failure(SMTPReply(501, "5.5.4", "Syntax: MAIL FROM:<address>"))
            }
            return .success(.mail(arg.dropFirst(5)))
        case "RCPT":
            guard arg.count >= 3, arg.prefix(3).uppercased() == "TO:" else {
                return .failure(SMTPReply(501, "5.5.4", "Syntax: RCPT TO:<address>"))
            }
            return .success(.rcpt(arg.dropFirst(3)))
        case "DATA": return noArgs(.data)
        case "RSET": return noArgs(.rset)
        case "QUIT": return noArgs(.quit)
        case "STARTTLS": return noArgs(.starttls)
        case "NOOP": return .success(.noop) // RFC 5321 §4.1.1.9: a parameter may be given and is ignored
        case "VRFY": return .success(.vrfy(String(arg)))
        case "EXPN": return .success(.expn(String(arg)))
        case "HELP": return .success(.help(String(arg)))
        case "AUTH": return .success(.auth(String(arg)))
        case "BDAT":
            // RFC 3030 §2: bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ] CR LF
            let parts = arg.split(separator: " ")
            guard (1...2).contains(parts.count), parts[0].count <= 12, parts[0].allSatisfy(\.isASCIIDigit),
                  let size = Int(parts[0]) else {
                return .failure(SMTPReply(501, "5.5.4", "Syntax: BDAT size [LAST]"))
            }
            if parts.count == 2 {
                guard parts[1].uppercased() == "LAST" else { return .failure(SMTPReply(501, "5.5.4", "Syntax: BDAT size [LAST]")) }
                return .success(.bdat(size: size, last: true))
            }
            return .success(.bdat(size: size, last: false))
        default:
            return .failure(.unrecognised)
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
