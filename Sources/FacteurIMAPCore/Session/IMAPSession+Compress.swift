/// COMPRESS (RFC 4978 §3): `COMPRESS DEFLATE` in the authenticated or selected state.
extension IMAPSession {
    mutating func compress(_ mechanism: String, tag: String, into output: inout SessionOutput) {
        guard !compressionActive else {
            output.tagged(tag, .no, .other("COMPRESSIONACTIVE", nil), "DEFLATE is already active")
            return
        }
        guard mechanism == "DEFLATE" else {
            output.tagged(tag, .bad, nil, "Unknown compression mechanism \(mechanism)")
            return
        }
        compressionActive = true
        output.tagged(tag, .ok, nil, "DEFLATE active")
        output.trailing.append(.startCompression)
    }
}
