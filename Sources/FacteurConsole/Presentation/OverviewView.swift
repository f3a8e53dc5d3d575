import Foundation
import FacteurCore

/// Panel 1: services, uptime, counters and per-minute history.
enum OverviewView {
    static let sparkLevels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One character per value; zero is a space, the maximum is a full block.
    static func sparkline(_ values: [Int]) -> String {
        let top = values.max() ?? 0
        guard top > 0 else { return String(repeating: "·", count: values.count) }
        return String(values.map { v -> Character in
            if v <= 0 { return "·" }
            let i = min(sparkLevels.count - 1, (v * sparkLevels.count - 1) / top)
            return sparkLevels[max(0, i)]
        })
    }

    /// `mailboxUsers`: the Mailboxes list when loaded (asked for right after attaching), for the
    /// quota line.
    static func render(model: ConsoleModel, now: Date, width: Int, height: Int,
                       mailboxUsers: [MailboxUserSummary]? = nil) -> [StyledLine] {
        var out: [StyledLine] = []
        var head = StyledLine(" Overview ", .accent)
        head.append("  up " + Formatting.duration(now.timeIntervalSince(model.startTime)), .normal)
        head.append("  since " + Formatting.dateTime(model.startTime) + " UTC", .dim)
        out.append(head)
        out.append(StyledLine(""))
        out.append(StyledLine("Services", .header))
        if model.listeners.isEmpty { out.append(StyledLine("  no listener reported yet", .dim)) }
        for l in model.listeners.sorted(by: { ($0.service.rawValue, $0.address) < ($1.service.rawValue, $1.address) }) {
            var line = StyledLine("  " + DisplayWidth.fit(l.service.rawValue.uppercased(), to: 6))
            line.append(DisplayWidth.fit(l.address, to: 24))
            line.append(l.tls ? "TLS  " : "     ", .dim)
            if let e = l.error { line.append("FAILED: " + e, .danger) } else { line.append("listening", .ok) }
            out.append(line)
        }
        let open = model.connections.count
        let byService = ServiceKind.allCases.map { s in "\(s.rawValue.uppercased()) \(model.connections.values.filter { $0.info.service == s }.count)" }
        out.append(StyledLine(""))
        out.append(StyledLine("Counters since start", .header))
        var c1 = StyledLine("  Connections ")
        c1.append("\(model.counters.connections)", .accent)
        c1.append("  open \(open) (" + byService.joined(separator: ", ") + ")")
        out.append(c1)
        var c2 = StyledLine("  Deliveries ")
        c2.append("\(model.counters.deliveries)", .ok)
        c2.append("   Rejections ")
        c2.append("\(model.counters.rejections)", model.counters.rejections > 0 ? .warning : .normal)
        c2.append("   Auth failures ")
        c2.append("\(model.counters.authFailures)", model.counters.authFailures > 0 ? .warning : .normal)
        c2.append("   Bans ")
        c2.append("\(model.activeBans(at: now).count) active", .danger)
        c2.append(", \(model.counters.bans) new", .dim)
        out.append(c2)
        out += checkLines(model.counters.checks)
        if let disk = model.storage {
            var line = StyledLine("  Disk ")
            if disk.full {
                line.append("FULL", .danger)
                line.append(", \(Formatting.bytes(Int64(clamping: disk.freeBytes))) free in \(disk.path): mail is refused with 451", .danger)
            } else {
                line.append("\(Formatting.bytes(Int64(clamping: disk.freeBytes))) free", .ok)
                line.append(" in \(disk.path)", .dim)
            }
            out.append(line)
        }
        if let users = mailboxUsers, users.contains(where: { $0.quotaBytes != nil || $0.quotaMessages != nil }) {
            let full = MailboxesView.overQuotaCount(users) ?? 0
            var line = StyledLine("  Quota ")
            if full > 0 {
                line.append(full == 1 ? "1 user over quota" : "\(full) users over quota", .danger)
                line.append(": their new mail is deferred (452 4.2.2) until they make room", .danger)
            } else {
                line.append("every user under quota", .ok)
            }
            out.append(line)
        }
        if model.droppedEvents > 0 {
            out.append(StyledLine("  \(model.droppedEvents) events dropped while this console was too slow (then refreshed from a new snapshot)", .warning))
        }
        // History: as many minutes as fit, one column per minute.
        let label = 14
        let minutes = max(1, min(ConsoleLimits.historyMinutes, width - label - 8))
        let series = model.history.series(endingAt: now, count: minutes)
        out.append(StyledLine(""))
        out.append(StyledLine("Per minute, last \(minutes) min (newest right)", .header))
        for (name, values, role) in [("Connections", series.connections, Role.chart), ("Rejections", series.rejections, Role.warning)] {
            var l = StyledLine("  " + DisplayWidth.fit(name, to: label - 2))
            l.append(sparkline(values), role)
            l.append(" max \(values.max() ?? 0)", .dim)
            out.append(l)
        }
        // Whatever room is left shows the newest log lines.
        let room = height - out.count - 2
        if room > 0 {
            out.append(StyledLine(""))
            out.append(StyledLine("Latest log", .header))
            for line in model.log.elements.suffix(room) {
                var l = StyledLine("  " + Formatting.clock(line.time) + " ", .dim)
                l.append(line.message, LogView.role(line.level))
                out.append(l)
            }
        }
        var fitted = out.prefix(height).map { $0.fitted(to: width, padRole: .normal) }
        while fitted.count < height { fitted.append(StyledLine().fitted(to: width)) }
        return fitted
    }
}
