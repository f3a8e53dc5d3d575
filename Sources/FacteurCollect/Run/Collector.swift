import FacteurCore
import FacteurStore
import Foundation
import NIOCore
import NIOPosix
import FacteurMIME

/// Collects mail from the providers' mailboxes (`[[collect]]`) into local Maildirs, like
/// MercuryD or fetchmail, without ever losing or duplicating a message.
///
/// For every message the order is (see `CollectionLedger` for the crash analysis):
/// choose the Maildir name → record "fetching" durably → fetch → deliver under that name
/// (tmp, fsync, new/, fsync) → record "delivered" durably → … → delete on the provider only
/// when the retention (`keep_days`) has elapsed → record the deletion once the provider
/// confirmed it (POP3 QUIT +OK, IMAP EXPUNGE OK).
public final class Collector: Sendable {
    let group: any EventLoopGroup
    let ioPool: NIOThreadPool
    let hub: EventHub
    let maildir: CollectMaildir
    let ledgerDirectory: String
    let directory: @Sendable () throws -> StaticDirectory
    let limits: CollectLimits
    let clientLimits: CollectionClientLimits

    /// - Parameters:
    ///   - directory: users and aliases, to resolve each entry's `recipient`.
    ///   - ioPool: a started pool for the blocking file work (fsync of messages and ledgers).
    public init(config: Config, delivery: MaildirDelivery, hub: EventHub, group: any EventLoopGroup, ioPool: NIOThreadPool,
                directory: @escaping @Sendable () throws -> StaticDirectory,
                limits: CollectLimits = .standard, clientLimits: CollectionClientLimits = .standard) {
        self.group = group; self.ioPool = ioPool; self.hub = hub
        self.maildir = CollectMaildir(delivery: delivery, hostname: config.hostname)
        self.ledgerDirectory = config.dataDir + "/collect"
        self.directory = directory; self.limits = limits; self.clientLimits = clientLimits
    }

    /// Entries whose name an earlier entry already uses: they would share a ledger, so they never run.
    public static func duplicateNames(_ entries: [Config.Collect]) -> Set<String> {
        var seen = Set<String>(), duplicates = Set<String>()
        for entry in entries where !seen.insert(entry.name).inserted { duplicates.insert(entry.name) }
        return duplicates
    }

    /// Every entry once, one after the other (`facteur collect --once`).
    public func runAll(_ entries: [Config.Collect], now: @Sendable () -> Date) async -> [CollectReport] {
        let duplicates = Self.duplicateNames(entries)
        var reports: [CollectReport] = []
        for entry in entries {
            if duplicates.contains(entry.name) {
                var report = CollectReport(entry: entry.name)
                report.outcome = .failed("several [[collect]] entries are named \"\(entry.name)\"; names must be unique")
                hub.publish(.log(level: .error, message: "collect \(entry.name): \(report.summary)"))
                reports.append(report)
                continue
            }
            reports.append(await run(entry, now: now()))
        }
        return reports
    }

    /// One run of one entry at `now` (retention is measured against it). Never throws: the
    /// outcome is in the report and on the event stream.
    public func run(_ entry: Config.Collect, now: Date) async -> CollectReport {
        var report = CollectReport(entry: entry.name)
        do {
            try await collect(entry, now: now, report: &report)
        } catch {
            report.outcome = .failed(error.description)
        }
        switch report.outcome {
        case .completed:
            hub.publish(.log(level: .info, message: "collect \(report.summary)"))
        case .skipped:
            hub.publish(.log(level: .notice, message: "collect \(report.summary)"))
        case .failed:
            hub.publish(.log(level: .error, message: "collect \(report.summary)"))
        }
        return report
    }

    private func collect(_ entry: Config.Collect, now: Date, report: inout CollectReport) async throws(CollectError) {
        let owners = try owners(of: entry)
        let password = try CollectPasswordFile.read(entry.passwordFile, limits: limits)
        let file = CollectLedgerFile(directory: ledgerDirectory, entry: entry.name)
        guard let lock = try file.tryLock() else {
            report.outcome = .skipped("another run of this entry is in progress")
            return
        }
        defer { lock.release() }
        var ledger = try await blocking { try file.load(limits: self.limits) }

        let security: CollectionSecurity = switch entry.tls {
        case "starttls": .startTLS
        case "none": .none
        default: .implicitTLS
        }
        let connection = try await CollectConnection.connect(host: entry.host, port: entry.port, security: security,
                                                              verify: entry.tlsVerify, group: group, limits: limits)
        if entry.proto == "imap" {
            let configuration = IMAPClientConfiguration(user: entry.user, password: password, security: security, limits: clientLimits)
            var mailbox = try await IMAPRemoteMailbox.open(connection: connection, configuration: configuration)
            try await session(&mailbox, entry: entry, owners: owners, file: file, ledger: &ledger, now: now, report: &report)
        } else {
            let configuration = POP3ClientConfiguration(user: entry.user, password: password, security: security, limits: clientLimits)
            var mailbox = try await POP3RemoteMailbox.open(connection: connection, configuration: configuration)
            try await session(&mailbox, entry: entry, owners: owners, file: file, ledger: &ledger, now: now, report: &report)
        }
    }

    private func session<Mailbox: RemoteMailbox>(_ mailbox: inout Mailbox, entry: Config.Collect, owners: [String],
                                                 file: CollectLedgerFile, ledger: inout CollectionLedger, now: Date,
                                                 report: inout CollectReport) async throws(CollectError) {
        do {
            try await steps(&mailbox, entry: entry, owners: owners, file: file, ledger: &ledger, now: now, report: &report)
        } catch {
            await mailbox.abandon()
            throw error
        }
    }

    private func steps<Mailbox: RemoteMailbox>(_ mailbox: inout Mailbox, entry: Config.Collect, owners: [String],
                                               file: CollectLedgerFile, ledger: inout CollectionLedger, now: Date,
                                               report: inout CollectReport) async throws(CollectError) {
        let name = entry.name
        let keys = try await mailbox.listing()
        report.listed = keys.count

        // Resolve what an interrupted run left behind (looks into the Maildir), prune, plan.
        let maildir = self.maildir
        let start = ledger
        let (planned, plan) = try await blocking { () throws -> (CollectionLedger, CollectionLedger.Plan) in
            var next = start
            let plan = next.beginRun(entry: name, remoteUIDs: keys, keepDays: entry.keepDays, now: now,
                                     isDelivered: { maildir.isDelivered($0, owners: owners) })
            if next != start { try file.save(next) }
            return (next, plan)
        }
        ledger = planned
        report.recovered = plan.recovered.count
        hub.publish(.log(level: .info, message: "collect \(name): \(entry.proto.uppercased()) \(entry.host):\(entry.port), \(keys.count) messages, \(plan.fetch.count) new"))
        if !plan.recovered.isEmpty {
            hub.publish(.log(level: .notice, message: "collect \(name): \(plan.recovered.count) messages of an interrupted run were already delivered; not fetched again"))
        }

        for key in plan.fetch {
            if Task.isCancelled { break }
            try await fetchOne(key, from: &mailbox, entry: entry, owners: owners, file: file, ledger: &ledger, now: now, report: &report)
        }

        // Only delivered messages whose retention has elapsed; keep_days = 0 includes this run's.
        let due = Task.isCancelled ? [] : ledger.deletions(entry: name, remoteUIDs: keys, keepDays: entry.keepDays, now: now)
        let confirmed = try await mailbox.deleteAndFinish(due)
        if !confirmed.isEmpty {
            ledger.recordRemoteDeleted(entry: name, uids: confirmed, at: now)
            try await save(ledger, file)
        }
        report.deleted = confirmed.count
    }

    /// One message: record the name, fetch, deliver under it, record the delivery.
    private func fetchOne<Mailbox: RemoteMailbox>(_ key: String, from mailbox: inout Mailbox, entry: Config.Collect, owners: [String],
                                                  file: CollectLedgerFile, ledger: inout CollectionLedger, now: Date,
                                                  report: inout CollectReport) async throws(CollectError) {
        let name = entry.name
        let localName = maildir.delivery.uniqueName()
        ledger.recordFetching(entry: name, uid: key, localName: localName, at: now)
        try await save(ledger, file)

        let outcome: FetchOutcome
        do { outcome = try await mailbox.fetch(key) }
        catch {
            ledger.recordFetchFailed(entry: name, uid: key)
            try? await save(ledger, file)
            throw error
        }
        switch outcome {
        case .message(let content):
            let maildir = self.maildir
            let trace = maildir.trace(entry: entry, now: now)
            let size: Int
            do { size = try await blocking { try maildir.deliver(content, uniqueName: localName, owners: owners, trace: trace) } }
            catch {
                ledger.recordFetchFailed(entry: name, uid: key)
                try? await save(ledger, file)
                throw error
            }
            ledger.recordDelivered(entry: name, uid: key, at: now)
            try await save(ledger, file)
            report.delivered += 1
            hub.publish(.delivered(Delivery(connection: nil, remoteAddress: entry.host, sender: Self.sender(of: content),
                                            recipients: owners, size: size, subject: HeaderPeek.subject(in: content))))
        case .transientFailure(let reason):
            ledger.recordFetchFailed(entry: name, uid: key)
            try await save(ledger, file)
            report.retryLater += 1
            hub.publish(.log(level: .warning, message: "collect \(name): message \(key) not fetched (\(reason)); next run tries again"))
        case .rejected(let reason):
            ledger.recordRejected(entry: name, uid: key, reason: reason, at: now)
            try await save(ledger, file)
            report.rejected += 1
            hub.publish(.log(level: .warning, message: "collect \(name): message \(key) left on the provider: \(reason)"))
        }
    }

    // MARK: - Helpers

    private func owners(of entry: Config.Collect) throws(CollectError) -> [String] {
        let snapshot: StaticDirectory
        do { snapshot = try directory() } catch { throw .configuration("cannot read users and aliases: \(error)") }
        guard let owners = snapshot.entries[entry.recipient.lowercased()], !owners.isEmpty else {
            throw .configuration("recipient \(entry.recipient) is not a local user or alias (facteur user add \(entry.recipient))")
        }
        return owners
    }

    private func save(_ ledger: CollectionLedger, _ file: CollectLedgerFile) async throws(CollectError) {
        try await blocking { try file.save(ledger) }
    }

    /// Runs blocking file work (fsync) on the I/O pool, off the event loops and the task pool.
    private func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws(CollectError) -> T {
        do { return try await ioPool.runIfActive(body) }
        catch let error as CollectError { throw error }
        catch { throw .ledger("I/O pool unavailable: \(error)") }
    }

    /// The envelope sender as the provider recorded it (Return-Path), else the From field.
    static func sender(of content: [UInt8]) -> String {
        let raw = HeaderPeek.field("return-path", in: content) ?? HeaderPeek.field("from", in: content) ?? ""
        if let open = raw.lastIndex(of: "<"), let close = raw.lastIndex(of: ">"), open < close {
            return String(raw[raw.index(after: open)..<close])
        }
        return raw.trimmingCharacters(in: .whitespaces)
    }
}
