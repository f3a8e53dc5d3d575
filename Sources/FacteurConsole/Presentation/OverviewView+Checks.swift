import FacteurCore

extension OverviewView {
    /// The counters of the end-of-DATA checks since start (SPF, DKIM, DMARC passes and failures,
    /// greylisted, spam-rejected, delivered into Junk); no line until a message was checked.
    static func checkLines(_ checks: CheckCounters) -> [StyledLine] {
        guard !checks.isEmpty else { return [] }
        var line = StyledLine("  Mail checks ")
        for (name, pass, fail) in [("SPF", checks.spfPass, checks.spfFail), ("DKIM", checks.dkimPass, checks.dkimFail),
                                   ("DMARC", checks.dmarcPass, checks.dmarcFail)] {
            line.append(" \(name) ")
            line.append("\(pass) pass", .ok)
            line.append(" / ", .dim)
            line.append("\(fail) fail", fail > 0 ? .warning : .normal)
        }
        for (name, count) in [("Greylisted", checks.greylisted), ("Spam rejected", checks.spamRejected), ("Junk", checks.junkDelivered)] {
            line.append("   \(name) ")
            line.append("\(count)", count > 0 ? .warning : .normal)
        }
        return [line]
    }
}
