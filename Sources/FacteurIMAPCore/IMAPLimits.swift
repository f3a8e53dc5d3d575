/// Every bound the IMAP core enforces, in one place (house style: named limits per protocol).
///
/// The static defaults are what the server uses unless its configuration says otherwise;
/// an `IMAPLimits` value is passed to the framer so an administrator can raise the APPEND
/// size without touching code.
public struct IMAPLimits: Sendable, Equatable {
    /// Longest command line, CRLF included, literals excluded (RFC 7162 §4 recommends
    /// servers accept at least 8192 octets; clients send long UID sets, so we allow 64 KiB).
    public var maxLineLength: Int
    /// Largest literal accepted inside an ordinary command (LOGIN, SEARCH strings, …).
    public var maxInlineLiteralSize: Int
    /// Largest APPEND message (the literal of an APPEND command).
    public var maxAppendLiteralSize: Int
    /// APPEND literals larger than this are not buffered: the framer hands them to the
    /// caller as `.literalStart` / `.literalChunk` / `.literalEnd`. Set to 0 to stream all.
    public var streamingLiteralThreshold: Int
    /// Largest chunk handed out by `.literalChunk`.
    public var literalChunkSize: Int
    /// Literals allowed in one command (APPEND has one, LOGIN two, SEARCH a few).
    public var maxLiteralsPerCommand: Int
    /// Total bytes of one buffered command (lines plus inline literals).
    public var maxCommandSize: Int

    public init(maxLineLength: Int = IMAPLimits.defaultMaxLineLength,
                maxInlineLiteralSize: Int = IMAPLimits.defaultMaxInlineLiteralSize,
                maxAppendLiteralSize: Int = IMAPLimits.defaultMaxAppendLiteralSize,
                streamingLiteralThreshold: Int = IMAPLimits.defaultStreamingLiteralThreshold,
                literalChunkSize: Int = IMAPLimits.defaultLiteralChunkSize,
                maxLiteralsPerCommand: Int = IMAPLimits.defaultMaxLiteralsPerCommand,
                maxCommandSize: Int = IMAPLimits.defaultMaxCommandSize) {
        self.maxLineLength = maxLineLength
        self.maxInlineLiteralSize = maxInlineLiteralSize
        self.maxAppendLiteralSize = maxAppendLiteralSize
        self.streamingLiteralThreshold = streamingLiteralThreshold
        self.literalChunkSize = max(1, literalChunkSize)
        self.maxLiteralsPerCommand = maxLiteralsPerCommand
        self.maxCommandSize = maxCommandSize
    }

    public static let `default` = IMAPLimits()

    public static let defaultMaxLineLength = 64 * 1024
    public static let defaultMaxInlineLiteralSize = 64 * 1024
    public static let defaultMaxAppendLiteralSize = 50 * 1024 * 1024
    public static let defaultStreamingLiteralThreshold = 64 * 1024
    public static let defaultLiteralChunkSize = 16 * 1024
    public static let defaultMaxLiteralsPerCommand = 16
    public static let defaultMaxCommandSize = 1024 * 1024

    // Grammar limits (not configurable: they bound recursion and allocation in parsers).

    /// Nesting depth of parenthesised SEARCH keys and NOT/OR chains.
    public static let maxSearchDepth = 32
    /// Number of keys in one SEARCH program.
    public static let maxSearchKeys = 1000
    /// Ranges in one sequence set.
    public static let maxSequenceRanges = 10_000
    /// Attributes in one FETCH.
    public static let maxFetchAttributes = 100
    /// Octets of a mailbox name on the wire (mUTF-7 encoded).
    public static let maxMailboxNameLength = 1024
    /// Hierarchy levels of a mailbox name.
    public static let maxMailboxDepth = 32
    /// Flags in one STORE / APPEND.
    public static let maxFlags = 100
    /// ID parameters (RFC 2971 §3.3 says at most 30 pairs).
    public static let maxIDPairs = 30

    // COMPRESS=DEFLATE (RFC 4978): a decompression bomb must end the connection, not fill memory.

    /// Decompressed octets a connection may receive beyond `maxInflateRatio` times what it sent
    /// compressed (commands compress well at first: the dictionary is empty).
    public static let inflateAllowance = 1024 * 1024
    /// Decompressed octets per compressed octet, over the connection: deflate reaches about
    /// 1000:1 on repeated bytes; real IMAP traffic (commands, messages) stays far below 100:1.
    public static let maxInflateRatio = 200
    /// Largest decompressed chunk handed on at once.
    public static let inflateChunkSize = 16 * 1024

    /// Messages in one MULTIAPPEND (RFC 3502); each is a literal, so `maxLiteralsPerCommand`
    /// and `maxCommandSize` bound them too.
    public static let maxAppendMessages = 100
    /// Criteria in one SORT (there are nine keys; REVERSE twice of each is already absurd).
    public static let maxSortCriteria = 20
    /// Depth of a THREAD=REFERENCES tree: a deeper reply chain starts a new thread (the
    /// threading steps recurse once per level).
    public static let maxThreadDepth = 400
}
