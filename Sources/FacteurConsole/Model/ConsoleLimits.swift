import FacteurCore

/// Every bound the console keeps, in one place.
public enum ConsoleLimits {
    /// Server log lines kept for the Log panel.
    public static let logLines = 2_000
    /// Distinct rejection rows kept (repeats fold into one row): the server's bound.
    public static let rejectionRows = ActivityLimits.rejectionRows
    /// Minutes of connection/rejection history: the server's bound.
    public static let historyMinutes = ActivityLimits.historyMinutes
    /// Open connections shown: the server's bound.
    public static let connectionRows = ActivityLimits.connectionRows
    /// Server events waiting for the UI thread; the oldest are dropped beyond this.
    public static let pendingEvents = 8_192
    /// Remembered address → country answers.
    public static let countryCache = 4_096
    /// Length of a typed filter or prompt answer.
    public static let inputLength = 256
    /// Raw message bytes the message view decodes.
    public static let messageBytes = 8 * 1024 * 1024
    /// MIME nesting depth the part tree follows.
    public static let mimeDepth = 16
    /// MIME parts listed.
    public static let mimeParts = 256
    /// Lines of decoded text shown for one message.
    public static let messageLines = 20_000
    /// Theme file size and line count.
    public static let themeFileBytes = 64 * 1024
}
