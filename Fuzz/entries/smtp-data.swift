/// Fuzz target smtp-data (modules FacteurMIME, FacteurCore): the DATA decoder in splits chosen by the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSMTPData(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var decoder = SMTPDataDecoder(maxSize: 2048)
    var out: [UInt8] = []
    let step = max(1, Int(bytes.first ?? 0) % 97)
    var index = 0
    while index < bytes.count {
        let end = min(bytes.count, index + step)
        let used = decoder.decode(bytes[index..<end], into: &out)
        precondition(used >= 0 && used <= end - index, "decoder consumed \(used) of \(end - index)")
        index += max(used, 1)
    }
    return 0
}
