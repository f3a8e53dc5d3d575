import Foundation

/// Bounds of the POP3 channel edge, in one place. The protocol's own limits (line lengths, bad
/// commands, failed logins, and the RFC 1939 §3 idle timeout of 10 minutes) are `POP3Limits` in
/// FacteurPOP3Core; a server uses `POP3Services.limits`, `.standard` unless given others.
public enum POP3EdgeLimits {
    /// Octets of a message file read from disk at a time for RETR / TOP. A message smaller than
    /// this (most mail) is read and encoded in one visit to the I/O pool. A larger one is sent a
    /// chunk at a time, the next read only once the previous chunk has been written to the
    /// socket, so a large message never sits in memory (at most this much read plus twice as
    /// much encoded).
    public static let messageChunk = 256 * 1024
    /// The AUTHORIZATION state (RFC 1939 §4), from the greeting to a successful login, lasts
    /// at most this long however the client trickles its bytes (the 10-minute inactivity
    /// timer of §3 still applies to every state).
    public static let loginWithin: TimeInterval = 300
}
