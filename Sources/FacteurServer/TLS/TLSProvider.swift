import Crypto
import FacteurStore
import Foundation
import NIOSSL
import X509

/// The server's TLS context: the configured certificate, or a self-signed one for `hostname`
/// generated once under data_dir (`tls/selfsigned.pem`, `tls/selfsigned.key`).
public enum TLSProvider {
    public static func context(config: Config) throws -> NIOSSLContext {
        let (certPath, keyPath) = try paths(config: config)
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certPath)
            let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                               privateKey: .privateKey(key))
            tls.minimumTLSVersion = .tlsv12
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw ConfigError(file: config.source ?? "built-in configuration", line: nil,
                              message: "TLS certificate \(certPath) or key \(keyPath) unusable: \(error)")
        }
    }

    /// Configured paths, or the self-signed pair (created if missing).
    public static func paths(config: Config) throws -> (cert: String, key: String) {
        if let c = config.tls.cert, let k = config.tls.key { return (c, k) }
        let dir = config.dataDir + "/tls"
        let cert = dir + "/selfsigned.pem", key = dir + "/selfsigned.key"
        if FileManager.default.fileExists(atPath: cert) && FileManager.default.fileExists(atPath: key) { return (cert, key) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let (certPEM, keyPEM) = try selfSigned(hostname: config.hostname)
        guard FileManager.default.createFile(atPath: key, contents: Data(keyPEM.utf8), attributes: [.posixPermissions: 0o600]),
              FileManager.default.createFile(atPath: cert, contents: Data(certPEM.utf8), attributes: [.posixPermissions: 0o644]) else {
            throw ConfigError(file: dir, line: nil, message: "cannot write the self-signed certificate")
        }
        return (cert, key)
    }

    /// A P-256 self-signed certificate valid for ten years.
    public static func selfSigned(hostname: String, now: Date = Date()) throws -> (cert: String, key: String) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(hostname); OrganizationName("Facteur self-signed") }
        let cert = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(10 * 365 * 86400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                SubjectAlternativeNames([.dnsName(hostname)])
            },
            issuerPrivateKey: .init(key))
        return (try cert.serializeAsPEM().pemString, key.pemRepresentation)
    }
}
