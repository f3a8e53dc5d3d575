/// Fuzz target pop3 (module FacteurPOP3Core): the line framer and the session, logged in
/// half-way so that TRANSACTION commands are reached too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPOP3(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let configuration = POP3SessionConfiguration(hostname: "pop.example.test", isTLS: true, tlsAvailable: true,
                                                 plaintextLoginAllowed: true, digestKey: PasswordDigestKey(k0: 1, k1: 2))
    var session = POP3Session(configuration: configuration)
    _ = session.start()
    var framer = LineFramer(maximumLineLength: configuration.limits.framedLineLength)
    let half = bytes.count / 2
    for (n, chunk) in [bytes[..<half], bytes[half...]].enumerated() {
        framer.append(Array(chunk))
        while let frame = framer.next() {
            let actions: [POP3Action]
            switch frame {
            case .line(let line): actions = session.receive(line: line)
            case .overflow: actions = session.receiveOverflow()
            }
            if actions.contains(where: { if case .authenticate = $0 { true } else { false } }) {
                let maildrop = [MessageInfo(index: 1, uid: "a", size: 10), MessageInfo(index: 2, uid: "b", size: 20)]
                _ = session.authResult(success: n == 1, maildrop: maildrop, inUse: false)
            }
        }
    }
    return 0
}
