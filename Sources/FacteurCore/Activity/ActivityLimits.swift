/// Bounds of what the server remembers of its own activity for consoles (the snapshot).
public enum ActivityLimits {
    /// Distinct rejection rows kept (repeats fold into one row).
    public static let rejectionRows = 500
    /// Minutes of connection/rejection history.
    public static let historyMinutes = 120
    /// Open connections kept; beyond this the oldest are dropped from the table.
    public static let connectionRows = 5_000
    /// Recent log-worthy events kept for a console that attaches later (its Log panel).
    public static let recentLogEvents = 2_000
}
