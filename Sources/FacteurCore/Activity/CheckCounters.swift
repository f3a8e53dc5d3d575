/// What the end-of-DATA checks found since the server started, for the console's Overview:
/// SPF, DKIM and DMARC passes and failures, greylisted and spam-rejected messages, and messages
/// delivered into Junk. Folded from deliveries and rejections (`CheckOutcome`, rule names).
public struct CheckCounters: Sendable, Equatable, Codable {
    public var spfPass = 0
    /// fail, softfail and permerror (a broken record is the domain owner's failure).
    public var spfFail = 0
    public var dkimPass = 0
    public var dkimFail = 0
    public var dmarcPass = 0
    public var dmarcFail = 0
    public var greylisted = 0
    public var spamRejected = 0
    public var junkDelivered = 0

    public init() {}

    /// Nothing was checked yet (the Overview then says so instead of a row of zeros).
    public var isEmpty: Bool { self == CheckCounters() }

    /// The rejection rules of the greylist and of rspamd (`EndOfDataChecks`).
    public static let greylistRule = "greylist"
    public static let spamRule = "spam"

    mutating func count(_ outcome: CheckOutcome, delivered: Bool) {
        Self.tally(outcome.spf, pass: &spfPass, fail: &spfFail, failures: ["fail", "softfail", "permerror"])
        Self.tally(outcome.dkim, pass: &dkimPass, fail: &dkimFail, failures: ["fail", "policy", "permerror"])
        Self.tally(outcome.dmarc, pass: &dmarcPass, fail: &dmarcFail, failures: ["fail", "permerror"])
        if delivered && outcome.junk { junkDelivered += 1 }
    }

    mutating func countRejection(rule: String) {
        if rule == Self.greylistRule { greylisted += 1 }
        if rule == Self.spamRule { spamRejected += 1 }
    }

    private static func tally(_ result: String?, pass: inout Int, fail: inout Int, failures: Set<String>) {
        guard let result else { return }
        if result == "pass" { pass += 1 } else if failures.contains(result) { fail += 1 }
    }
}
