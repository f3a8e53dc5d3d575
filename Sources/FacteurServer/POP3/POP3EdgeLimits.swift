/// Bounds of the POP3 channel edge, in one place. The protocol's own limits (line lengths, bad
/// commands, failed logins, and the RFC 1939 §3 idle timeout of 10 minutes) are `POP3Limits` in
/// FacteurPOP3Core; a server uses `POP3Services.limits`, `.standard` unless given others.
public enum POP3EdgeLimits {
    /// Octets of a message file read from disk at a time for RETR / TOP. The next chunk is read
    /// only once the previous one has been written to the socket, so a large message never sits
    /// in memory.
    public static let messageChunk = 64 * 1024
}
