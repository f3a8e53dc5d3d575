/// Fuzz target proxy (modules FacteurNet, FacteurGuard): PROXY protocol v1 and v2 headers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProxy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if case .parsed(let header) = ProxyHeaderParser.parse(bytes) {
        precondition(header.length <= size, "header longer than its input")
    }
    return 0
}
