import NIOSSL
#if canImport(Glibc)
import Glibc
#endif

/// The TLS client side of a collect entry: the system trust store and host name verification by
/// default, nothing verified with `tls_verify = false` (providers with self-signed certificates).
enum CollectTLS {
    static func context(verify: Bool) throws(CollectError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = verify ? .fullVerification : .none
        configuration.trustRoots = .default
        do { return try NIOSSLContext(configuration: configuration) }
        catch { throw .tls("cannot create the TLS context: \(error)") }
    }

    /// SNI and the name the certificate must carry; nil for an IP literal (NIOSSL then checks
    /// the address against the certificate's IP subjectAltNames).
    static func serverName(_ host: String) -> String? {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1 { return nil }
        return host
    }

    /// A handshake failure in words: "certificate verify failed" is what the administrator needs.
    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
            return "the provider's certificate is not trusted (\(text)); if the provider uses a self-signed certificate, set tls_verify = false"
        }
        if text.contains("failedToValidateHostname") || text.contains("Hostname") {
            return "the provider's certificate does not match the host name (\(text))"
        }
        return text
    }
}
