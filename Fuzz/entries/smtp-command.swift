import Foundation

/// Fuzz target smtp-command (modules FacteurMIME, FacteurCore): one command line, then the session.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSMTPCommand(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = SMTPCommand.parse(Substring(String(decoding: bytes.prefix(4096), as: UTF8.self)))
    let directory = StaticDirectory(domains: ["example.test"], users: ["alice@example.test"], aliases: ["all@example.test": ["alice@example.test"]])
    var session = SMTPSession(settings: SMTPSessionSettings(hostname: "mx.example.test", maxMessageSize: 4096, tlsAvailable: true),
                              directory: directory, remoteAddress: "192.0.2.1", now: Date(timeIntervalSince1970: 0))
    _ = session.start(now: Date(timeIntervalSince1970: 0))
    // Split points from the first byte, so that the fuzzer also explores partial reads.
    let step = max(1, Int(bytes.first ?? 0) % 64)
    var index = 0
    while index < bytes.count {
        let end = min(bytes.count, index + step)
        for action in session.receive(bytes[index..<end], now: Date(timeIntervalSince1970: 1)) {
            switch action {
            case .startTLS: _ = session.tlsEstablished(TLSInfo(version: "TLSv1.3", cipher: ""), now: Date(timeIntervalSince1970: 1))
            case .commitMessage: _ = session.deliveryFinished(.success("id"), now: Date(timeIntervalSince1970: 1))
            default: break
            }
        }
        index = end
    }
    _ = session.timedOut(now: Date(timeIntervalSince1970: 2))
    return 0
}
