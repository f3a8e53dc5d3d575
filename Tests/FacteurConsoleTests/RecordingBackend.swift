import Foundation
import FacteurCore
import Synchronization
@testable import FacteurConsole

/// A backend that answers from fixed data and records the admin actions it was asked for.
final class RecordingBackend: ConsoleBackend {
    let attachment = ConsoleAttachment(mode: .embedded, pid: 4242, started: Fixtures.now)
    let showBodies = true
    let calls = Mutex<[String]>([])
    private let handler = Mutex<(@Sendable (ConsoleFeed) -> Void)?>(nil)

    func record(_ s: String) { calls.withLock { $0.append(s) } }
    func emit(_ e: ServerEvent) { handler.withLock { $0 }?(.events([e])) }
    func feed(_ f: ConsoleFeed) { handler.withLock { $0 }?(f) }

    func subscribe(_ handler: @escaping @Sendable (ConsoleFeed) -> Void) { self.handler.withLock { $0 = handler } }
    func refresh() { record("refresh") }
    func shutdownServer() async -> ActionResult { record("shutdown"); return .success("Stopping.") }
    func country(of address: String) -> String? { "FR" }
    func listeners() async -> [ListenerStatus] { [ListenerStatus(service: .smtp, address: "0.0.0.0:25", tls: false)] }
    func bans() async -> [BanInfo] { [Fixtures.ban("192.0.2.66/32", expiresIn: 600)] }
    func ban(network: String, duration: TimeInterval?, reason: String) async -> ActionResult { record("ban \(network)"); return .success("Banned.") }
    func unban(network: String) async -> ActionResult { record("unban \(network)"); return .success("Lifted.") }
    func extendBan(network: String, by duration: TimeInterval) async -> ActionResult { record("extend \(network)"); return .success("Extended.") }
    func makeBanPermanent(network: String) async -> ActionResult { record("permanent \(network)"); return .success("Permanent.") }
    func closeConnection(_ id: ConnectionID) async -> ActionResult { record("close \(id)"); return .success("Closed \(id).") }
    func mailboxUsers() async throws -> [MailboxUserSummary] { [] }
    func folders(of user: String) async throws -> [FolderSummary] { [] }
    func messages(of user: String, folder: String) async throws -> [MessageSummary] { [] }
    func rawMessage(of user: String, folder: String, id: String) async throws -> [UInt8] { [] }
    func addUser(address: String, password: String) async -> ActionResult { record("add \(address)"); return .success("Added.") }
    func setPassword(user: String, password: String) async -> ActionResult { record("password \(user)"); return .success("Changed.") }
    func deleteUser(address: String) async -> ActionResult { record("delete \(address)"); return .success("Deleted.") }
    func deletionNotice(for user: String) async -> String { "Mail is kept." }
    func routerChecklist() async -> [RouterCheckLine] { [] }
    func rerunRouterChecklist() async -> [RouterCheckLine] { [] }
}
