/// Fuzz target imap-command (modules FacteurMIME, FacteurIMAPCore): framing in random splits, every frame
/// through the command grammar.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIMAPCommand(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var framer = IMAPFramer()
    let step = max(1, Int(bytes.first ?? 0) % 50)
    var index = 0
    while index < bytes.count {
        let end = min(bytes.count, index + step)
        framer.feed(bytes[index..<end])
        index = end
        while let frame = try? framer.next() {
            switch frame {
            case .incomplete: break
            case .command(let line):
                _ = try? IMAPCommandParser.parse(line)
                _ = try? IMAPCommandParser.parseAuthenticationResponse(line)
                _ = IMAPCommandParser.isIdleDone(line)
                continue
            case .literalStart(let prefix, _, _):
                _ = try? IMAPCommandParser.parseAppendPrefix(prefix)
                continue
            default:
                continue
            }
            break
        }
    }
    _ = try? IMAPCommandParser.parse(bytes)
    return 0
}
