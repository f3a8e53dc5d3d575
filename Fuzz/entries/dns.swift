/// Fuzz target dns (modules FacteurNet, FacteurDNS): decoding a message off the wire, and encoding what
/// decoded (which must decode again).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDNS(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let message = try? DNSMessage.decode(bytes) else { return 0 }
    if let again = try? message.encode() {
        _ = try? DNSMessage.decode(again)
    }
    return 0
}
