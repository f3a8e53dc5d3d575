/// The CAPA response (RFC 2449 §5, §6).
extension POP3Session {
    /// Capability lines for the current connection. RFC 2449 §5: "Capabilities available in the
    /// AUTHORIZATION state MUST be announced in both states", so the list does not depend on state.
    public var capabilities: [String] {
        var lines = ["TOP", "UIDL"]                       // §6.1, RFC 1939 optional commands
        if loginPermitted { lines.append("USER") }        // §6.3: only where USER/PASS may be used
        lines.append("RESP-CODES")                        // §6.4 / §8
        lines.append("AUTH-RESP-CODE")                    // RFC 3206 §6
        if loginPermitted { lines.append("SASL PLAIN") }  // §6.3 / RFC 5034 §6
        if !isTLS && configuration.tlsAvailable { lines.append("STLS") } // RFC 2595 §4
        lines.append("PIPELINING")                        // §6.6
        lines.append("IMPLEMENTATION \(configuration.implementation)") // §6.9
        return lines
    }

    /// Plaintext passwords (USER/PASS, AUTH PLAIN) are accepted: under TLS, or where the
    /// configuration allows plaintext for this client.
    public var loginPermitted: Bool { isTLS || configuration.plaintextLoginAllowed }
}
