import Foundation

/// Every limit of the SMTP receiver, in one place. Values come from RFC 5321 §4.5.3 unless noted;
/// the configuration may override the adjustable ones (see `SMTPSessionSettings`).
public enum SMTPLimits {
    /// RFC 5321 §4.5.3.1.4: 512 octets including CRLF; extensions (SIZE=, BODY=, SMTPUTF8) need more.
    /// We take 2048 so a lenient client never fails, and refuse anything longer with 500 5.5.2.
    public static let commandLineLength = 2048
    /// RFC 5322 §2.1.1: a line of a message is at most 998 octets plus CRLF.
    public static let textLineLength = 998
    /// RFC 5321 §4.5.3.1.8 says at least 100; we accept exactly that many per transaction by default.
    public static let recipientsPerMessage = 100
    /// Bad commands in one session before we say 421 and close.
    public static let errorsPerSession = 10
    /// Default maximum message size (100 MiB), advertised in SIZE.
    public static let messageSize = 104_857_600
    /// Bytes buffered from a client before the session stops reading (pipelining bound).
    public static let inputBuffer = 64 * 1024
    /// Longest BDAT chunk we accept in one command (the message limit still applies overall).
    public static let bdatChunk = 64 * 1024 * 1024
    /// Timeouts (RFC 5321 §4.5.3.2): waiting for the first command, for any later command,
    /// and between two data blocks.
    public static let greetingTimeout: TimeInterval = 300
    public static let commandTimeout: TimeInterval = 300
    public static let dataBlockTimeout: TimeInterval = 180
    /// Longest time a session may spend outside a message: from the greeting to the first
    /// DATA/BDAT, and again after each message. Complete but useless commands (NOOP, RSET)
    /// cannot hold a connection forever.
    public static let sessionBeforeData: TimeInterval = 600
    /// Evidence lines kept per session for the guard (the transcript tail).
    public static let evidenceLines = 12
}
