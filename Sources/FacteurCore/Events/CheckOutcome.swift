/// What the end-of-DATA checks (SPF, DKIM, DMARC, rspamd) found for one message, carried by its
/// delivery or its rejection so that consoles can count them. Results are the names
/// Authentication-Results uses ("pass", "fail", "softfail", "none", "temperror", …); nil = that
/// check did not run.
public struct CheckOutcome: Sendable, Equatable, Codable {
    public var spf: String?
    /// "pass" when one signature passed, else the first signature's result, "none" without one.
    public var dkim: String?
    public var dmarc: String?
    /// Stored into the Junk folder.
    public var junk: Bool

    public init(spf: String? = nil, dkim: String? = nil, dmarc: String? = nil, junk: Bool = false) {
        self.spf = spf; self.dkim = dkim; self.dmarc = dmarc; self.junk = junk
    }
}
