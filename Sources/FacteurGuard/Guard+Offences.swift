import Foundation
import FacteurNet

extension Guard {
    /// Counts an offence (or a successful login) of session `sessionID` from `address`.
    ///
    /// `evidence` holds the offending transcript lines (command and reply); they are kept
    /// with the ban, prefixed with time, service and session. Returns `.banned` when this
    /// offence reaches a trigger's threshold. Never-ban and allow-listed addresses, and
    /// addresses already under a ban, are never (re)banned.
    public mutating func record(_ offence: Offence, address: IPAddress, service: GuardService, sessionID: UInt64,
                                evidence: [String], now: Date) -> [GuardAction] {
        let key = offenderNetwork(address)
        guard let rule = offence.rule else {
            // A successful login: the office's stale phone stops counting against it.
            offenders[key]?.passwords = [:]
            return []
        }
        guard let trigger = policy.triggers[rule], trigger.enabled,
              !neverBan.contains(address),
              !access[service].allow.contains(address),
              activeBan(covering: address, now: now) == nil
        else { return [] }

        let lines = evidence.map { Self.stamp($0, now: now, service: service, sessionID: sessionID) }
        if case let .authFailure(digest) = offence {
            return countPassword(digest, key: key, trigger: trigger, lines: lines, now: now)
        }

        // Thresholds below 1 from a hand-written configuration act as 1.
        if let perSession = trigger.perSession.map({ max($0, 1) }) {
            sessions[sessionID, default: SessionCounters(offender: key)].counts[rule, default: EvidenceLog()].add(lines)
            if let log = sessions[sessionID]?.counts[rule], log.count >= perSession {
                let reason = "\(Self.counted(log.count, rule)) in one session"
                return [.banned(makeAutomaticBan(key, rule: rule, reason: reason, evidence: log.lines, now: now))]
            }
        }
        if let perAddress = trigger.perAddress.map({ max($0, 1) }) {
            let events = updateOffender(key, now: now) { counters in
                counters.events[rule, default: []].removeAll { now.timeIntervalSince($0.time) >= trigger.window }
                counters.events[rule, default: []].append(TimedEvent(time: now, lines: lines))
                if let count = counters.events[rule]?.count, count > perAddress {
                    counters.events[rule, default: []].removeFirst(count - perAddress)
                }
                return counters.events[rule] ?? []
            }
            if events.count >= perAddress {
                let reason = perAddress == 1
                    ? Self.counted(1, rule)
                    : "\(Self.counted(events.count, rule)) within \(DurationText.describe(trigger.window))"
                let evidence = events.flatMap(\.lines)
                return [.banned(makeAutomaticBan(key, rule: rule, reason: reason, evidence: evidence, now: now))]
            }
        }
        return []
    }

    /// Wrong passwords count once per distinct digest within the window.
    private mutating func countPassword(_ digest: String, key: IPNetwork, trigger: Trigger, lines: [String], now: Date) -> [GuardAction] {
        guard let perAddress = trigger.perAddress.map({ max($0, 1) }) else { return [] }
        let passwords = updateOffender(key, now: now) { counters in
            counters.passwords = counters.passwords.filter { now.timeIntervalSince($0.value.time) < trigger.window }
            counters.passwords[digest] = TimedEvent(time: now, lines: lines)
            if counters.passwords.count > max(GuardLimits.maxTrackedPasswordDigests, perAddress),
               let oldest = counters.passwords.min(by: { $0.value.time < $1.value.time })?.key {
                counters.passwords[oldest] = nil
            }
            return counters.passwords
        }
        let distinct = passwords.count
        guard distinct >= perAddress else { return [] }
        let reason = "\(distinct) different wrong passwords within \(DurationText.describe(trigger.window))"
        let evidence = passwords.values.sorted { $0.time < $1.time }.flatMap(\.lines)
        return [.banned(makeAutomaticBan(key, rule: .authFailures, reason: reason, evidence: evidence, now: now))]
    }

    /// Stores an automatic ban of `network`, choosing its length by escalation, and forgets
    /// the counters that led to it.
    mutating func makeAutomaticBan(_ network: IPNetwork, rule: GuardRule, reason: String, evidence: [String], now: Date) -> Ban {
        var offence = 1
        if let previous = history[network], now.timeIntervalSince(previous.lastBanEnd) < policy.escalationMemory {
            offence = previous.offenceCount + 1
        }
        let length = policy.banLength(forOffence: offence)
        let expires = length.map { now.addingTimeInterval($0) }
        let ban = Ban(network: network, rule: rule, reason: reason,
                      evidence: Array(evidence.suffix(GuardLimits.maxEvidenceLines)), source: .automatic,
                      created: now, expires: expires, hits: 0, offenceCount: offence)
        banTable[network] = ban
        history[network] = OffenceRecord(network: network, offenceCount: offence, lastBanEnd: expires ?? now)
        offenders[network] = nil
        for (id, session) in sessions where session.offender == network {
            sessions[id]?.counts = [:]
        }
        return ban
    }

    /// "3 unknown recipients", "1 relay attempt".
    static func counted(_ count: Int, _ rule: GuardRule) -> String {
        let noun: (String, String) = switch rule {
        case .relayAttempt: ("relay attempt", "relay attempts")
        case .unknownRecipients: ("unknown recipient", "unknown recipients")
        case .badCommands: ("bad command", "bad commands")
        case .prematureTalk: ("command before the greeting", "commands before the greeting")
        case .overlongLines: ("over-long line", "over-long lines")
        case .smuggling: ("smuggling attempt", "smuggling attempts")
        case .authFailures: ("wrong password", "wrong passwords")
        default: ("offence", "offences")
        }
        return "\(count) \(count == 1 ? noun.0 : noun.1)"
    }

    /// "2026-11-29T06:30:00Z smtp #42 RCPT TO:<x@example.com>", cut to the evidence line limit.
    static func stamp(_ line: String, now: Date, service: GuardService, sessionID: UInt64) -> String {
        let text = "\(timestamp(now)) \(service.rawValue) #\(sessionID) \(line)"
        return text.count > GuardLimits.maxEvidenceLineLength
            ? String(text.prefix(GuardLimits.maxEvidenceLineLength)) + "…" : text
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
