/// Fuzz target maxmind (modules FacteurNet, FacteurGuard): a MaxMind DB file, and lookups in it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMaxMind(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let db = try? MaxMindDB(bytes: bytes) else { return 0 }
    for text in ["81.2.69.142", "67.43.156.7", "2001:db8::1", "::ffff:10.0.0.1", "0.0.0.0"] {
        if let address = IPAddress(text) { _ = db.country(for: address) }
    }
    return 0
}
