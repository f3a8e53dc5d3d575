import Foundation
import FacteurDNS
import FacteurNet

/// One listener as configured: which service, the local address it binds and the greeting
/// that identifies Facteur on it.
public struct RouterListener: Sendable, Hashable {
    public var service: MailService
    /// Bind address as configured: an IP, or a wildcard (`0.0.0.0`, `::`, `*`, empty).
    public var host: String
    public var port: UInt16
    public var enabled: Bool
    /// Start of the first line Facteur sends, e.g. `220 mail.example.com ESMTP Facteur`.
    /// Nil means "a completed TCP connection is enough" (implicit TLS ports).
    public var expectedGreeting: String?

    public init(service: MailService, host: String, port: UInt16, enabled: Bool = true, expectedGreeting: String? = nil) {
        self.service = service
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = port
        self.enabled = enabled
        self.expectedGreeting = expectedGreeting ?? service.greetingPrefix
    }

    /// Parses `host:port`, `[v6]:port`, `*:port` or `:port`.
    public init?(service: MailService, address: String, enabled: Bool = true, expectedGreeting: String? = nil) {
        let text = address.trimmingCharacters(in: .whitespaces)
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let listener = RouterListener(service: service, host: host, port: port, enabled: enabled, expectedGreeting: expectedGreeting)
        guard listener.isWildcard || IPAddress(host) != nil else { return nil }
        self = listener
    }

    /// Listens on every address of the machine.
    public var isWildcard: Bool { ["", "*", "0.0.0.0", "::"].contains(host) }

    /// The literal bind address, nil for wildcards.
    public var bindAddress: IPAddress? { isWildcard ? nil : IPAddress(host) }

    /// `0.0.0.0:25`, `[::]:143`.
    public var localText: String {
        if host == "::" || host.contains(":") { return "[\(host)]:\(port)" }
        return "\(isWildcard && host != "0.0.0.0" ? "*" : host):\(port)"
    }

    /// Where a connection from this machine reaches the listener: loopback for wildcards.
    public var selfTarget: SocketAddressText? {
        if host == "::" { return SocketAddressText(address: .loopbackV6, port: port) }
        if isWildcard { return SocketAddressText(address: .loopbackV4, port: port) }
        return bindAddress.map { SocketAddressText(address: $0, port: port) }
    }
}

