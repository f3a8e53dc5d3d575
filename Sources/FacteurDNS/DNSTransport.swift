import FacteurNet

/// Sends one encoded query and returns the raw answer. `accepts` lets the resolver discard
/// datagrams that do not belong to its query (wrong ID or question, RFC 5452 §4) and keep
/// waiting instead. The real implementation is `SocketDNSTransport`.
public protocol DNSTransport: Sendable {
    func exchangeUDP(_ query: [UInt8], with server: SocketAddressText, timeout: Duration,
                     accepts: @escaping @Sendable ([UInt8]) -> Bool) async throws(DNSLookupError) -> [UInt8]
    func exchangeTCP(_ query: [UInt8], with server: SocketAddressText,
                     timeout: Duration) async throws(DNSLookupError) -> [UInt8]
}
