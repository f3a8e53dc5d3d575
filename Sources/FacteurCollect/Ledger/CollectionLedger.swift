import Foundation

/// What mail collection has done with each remote message, per collect entry, so that a crash
/// at any point or a repeated run neither duplicates nor loses a message.
///
/// The lead stores it (Codable) and follows this order for every message:
///
///  1. `beginRun` with the complete remote listing (POP3 UIDL / IMAP UID SEARCH ALL) → a plan.
///  2. For each uid in `plan.fetch`: choose the Maildir unique name, `recordFetching` and persist;
///     fetch; deliver under exactly that name (tmp → new, fsync); `recordDelivered` and persist.
///     A message that can never be taken (too large) gets `recordRejected`.
///  3. `deletions(...)` → delete those remotely (POP3 DELE + QUIT, IMAP STORE + EXPUNGE); only
///     once the server confirmed (QUIT +OK / EXPUNGE OK) `recordRemoteDeleted` and persist.
///
/// Crash analysis:
///  - before delivery completes: the record is `.fetching`; the next `beginRun` asks
///    `isDelivered(localName)`, finds no file, drops the record and fetches again (no loss);
///  - after the Maildir rename but before `recordDelivered` was persisted: `isDelivered` finds
///    the file and the record becomes `.delivered` (no duplicate);
///  - after delivery but before remote deletion: the message is delivered, so it is never
///    fetched again, and it is offered for deletion again (no duplicate, no loss);
///  - the server deleted but `recordRemoteDeleted` was not persisted: the uid is no longer listed
///    and its record is pruned.
/// Records of uids absent from a complete listing are pruned, so the ledger holds at most one
/// record per message still on the provider. Runs of one entry must not overlap (the lead
/// serialises them).
public struct CollectionLedger: Sendable, Equatable, Codable {
    public struct Record: Sendable, Equatable, Codable {
        public enum Status: Sendable, Equatable, Codable {
            /// Fetch started; the message will be delivered under this Maildir unique name.
            case fetching(localName: String)
            case delivered
            /// Never to be fetched (e.g. over the size limit); left on the provider.
            case rejected(reason: String)
        }
        public var status: Status
        /// When the fetch started.
        public var started: Date
        /// When the message was durably delivered.
        public var delivered: Date?
        /// When the provider confirmed the deletion (the uid may still be listed if it lied).
        public var remoteDeleted: Date?
    }

    /// collect entry → remote uid → record.
    public private(set) var entries: [String: [String: Record]] = [:]

    public init() {}

    /// What a run should do.
    public struct Plan: Sendable, Equatable {
        /// Remote uids to fetch, in listing order.
        public var fetch: [String]
        /// Delivered remote uids whose retention has elapsed, in listing order.
        public var delete: [String]
        /// Interrupted fetches found delivered (`isDelivered` true): no refetch needed.
        public var recovered: [String]
    }

    /// The ledger key of an IMAP message: UIDs only identify a message together with the
    /// mailbox's UIDVALIDITY (RFC 3501 §2.3.1.1), so a UIDVALIDITY change makes every message new.
    public static func imapUID(uidValidity: UInt32?, uid: UInt32) -> String {
        "\(uidValidity ?? 0).\(uid)"
    }

    /// Seconds in a retention day.
    public static let day: TimeInterval = 86_400

    /// Starts a run with the complete remote listing.
    /// - Parameters:
    ///   - keepDays: days to keep delivered messages on the provider; 0 deletes right after
    ///     delivery; nil never deletes.
    ///   - isDelivered: whether a message under this Maildir unique name exists locally (new/ or cur/).
    public mutating func beginRun(entry: String, remoteUIDs: [String], keepDays: Int?, now: Date,
                                  isDelivered: (String) -> Bool) -> Plan {
        var records = entries[entry] ?? [:]
        let listed = Set(remoteUIDs)
        records = records.filter { listed.contains($0.key) }
        var recovered: [String] = []
        for uid in remoteUIDs {
            guard let record = records[uid], case .fetching(let localName) = record.status else { continue }
            if isDelivered(localName) {
                records[uid]?.status = .delivered
                records[uid]?.delivered = now
                recovered.append(uid)
            } else {
                records[uid] = nil
            }
        }
        entries[entry] = records.isEmpty ? nil : records
        var seen = Set<String>()
        let fetch = remoteUIDs.filter { records[$0] == nil && seen.insert($0).inserted }
        return Plan(fetch: fetch, delete: deletions(entry: entry, remoteUIDs: remoteUIDs, keepDays: keepDays, now: now),
                    recovered: recovered)
    }

    /// Delivered uids still listed whose retention has elapsed at `now`, in listing order. Call it
    /// again after the fetches: with keepDays 0 it then includes what was just delivered.
    public func deletions(entry: String, remoteUIDs: [String], keepDays: Int?, now: Date) -> [String] {
        guard let keepDays, let records = entries[entry] else { return [] }
        let keep = TimeInterval(max(0, keepDays)) * Self.day
        var seen = Set<String>()
        return remoteUIDs.filter { uid in
            guard let record = records[uid], record.status == .delivered, let delivered = record.delivered else { return false }
            return delivered.addingTimeInterval(keep) <= now && seen.insert(uid).inserted
        }
    }

    public mutating func recordFetching(entry: String, uid: String, localName: String, at now: Date) {
        if let existing = entries[entry]?[uid], existing.status == .delivered { return }
        entries[entry, default: [:]][uid] = Record(status: .fetching(localName: localName), started: now)
    }

    public mutating func recordDelivered(entry: String, uid: String, at now: Date) {
        var record = entries[entry]?[uid] ?? Record(status: .delivered, started: now)
        if record.status == .delivered, record.delivered != nil { return }
        record.status = .delivered
        record.delivered = now
        entries[entry, default: [:]][uid] = record
    }

    /// The fetch failed for a transient reason: forget it, the next run tries again.
    public mutating func recordFetchFailed(entry: String, uid: String) {
        guard let record = entries[entry]?[uid], case .fetching = record.status else { return }
        entries[entry]?[uid] = nil
        if entries[entry]?.isEmpty == true { entries[entry] = nil }
    }

    /// The message can never be collected; it stays on the provider and is not retried.
    public mutating func recordRejected(entry: String, uid: String, reason: String, at now: Date) {
        if let existing = entries[entry]?[uid], existing.status == .delivered { return }
        entries[entry, default: [:]][uid] = Record(status: .rejected(reason: reason), started: now)
    }

    /// The provider confirmed the deletion (POP3 QUIT +OK, IMAP EXPUNGE OK).
    public mutating func recordRemoteDeleted(entry: String, uids: [String], at now: Date) {
        for uid in uids where entries[entry]?[uid] != nil {
            entries[entry]?[uid]?.remoteDeleted = now
        }
    }

    /// The collect entry was removed from the configuration.
    public mutating func removeEntry(_ entry: String) {
        entries[entry] = nil
    }

    public func record(entry: String, uid: String) -> Record? { entries[entry]?[uid] }
}
