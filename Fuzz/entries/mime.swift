/// Fuzz target mime (module FacteurIMAPCore): the MIME tree, BODYSTRUCTURE and ENVELOPE of a
/// message, encoded as the FETCH response a client would get.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMIME(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let message = MIMEMessage(LineEndings.crlf(UnsafeBufferPointer(start: data, count: size)))
    let response = IMAPResponse.untagged(.fetch(1, [.bodyStructure(message.bodyStructure), .envelope(message.envelope)]))
    _ = IMAPResponseEncoder.encode(response)
    return 0
}
