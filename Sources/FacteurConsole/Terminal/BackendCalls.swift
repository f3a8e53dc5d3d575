import FacteurCore
import Foundation

/// Turns effects into backend calls and their answers into completions.
enum BackendCalls {
    static func perform(_ cmd: BackendCommand, on b: some ConsoleBackend) async -> ActionResult {
        switch cmd {
        case let .ban(network, duration, reason): return await b.ban(network: network, duration: duration, reason: reason)
        case let .unban(network): return await b.unban(network: network)
        case let .extendBan(network, by): return await b.extendBan(network: network, by: by)
        case let .makeBanPermanent(network): return await b.makeBanPermanent(network: network)
        case let .closeConnection(id): return await b.closeConnection(id)
        case let .addUser(address, password): return await b.addUser(address: address, password: password)
        case let .setPassword(user, password): return await b.setPassword(user: user, password: password)
        case let .deleteUser(address): return await b.deleteUser(address: address)
        }
    }

    static func load(_ r: LoadRequest, from b: some ConsoleBackend, showBodies: Bool) async -> Completion {
        func wrap<T>(_ body: () async throws -> T) async -> Result<T, LoadError> {
            do { return .success(try await body()) } catch { return .failure(LoadError(String(describing: error))) }
        }
        switch r {
        case .listeners: return .listeners(await b.listeners())
        case .bans: return .bans(await b.bans())
        case .mailboxUsers: return .mailboxUsers(await wrap { try await b.mailboxUsers() })
        case let .folders(user): return .folders(user: user, await wrap { try await b.folders(of: user) })
        case let .messages(user, folder): return .messages(user: user, folder: folder, await wrap { try await b.messages(of: user, folder: folder) })
        case let .message(user, folder, id):
            let raw = await wrap { try await b.rawMessage(of: user, folder: folder, id: id) }
            return .message(user: user, folder: folder, id: id, raw.map { DecodedMessage.decode($0, showBodies: showBodies) })
        case .router: return .router(await b.routerChecklist())
        case .rerunRouter: return .router(await b.rerunRouterChecklist())
        case let .deletionNotice(user): return .deletionNotice(user: user, await b.deletionNotice(for: user))
        }
    }
}
