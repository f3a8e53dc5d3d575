import Foundation

/// One IMAP connection's protocol state machine (RFC 3501 §3), driven by `IMAPFramer`
/// frames and returning actions for the connection handler. It talks to mail only through
/// `IMAPMailStore` and to credentials only through `IMAPAuthenticator`, so tests drive it
/// with in-memory fakes and no socket.
public struct IMAPSession: Sendable {
    struct Login: Sendable {
        let username: String
        let store: any IMAPMailStore
    }

    /// An APPEND whose literal arrives in chunks: they go to a storage spool, never to memory.
    struct StreamedAppend: Sendable {
        let prefix: AppendPrefix
        /// nil once storage refused (`failure`): the rest of the literal is read and dropped.
        var spool: (any IMAPAppendSpool)?
        var failure: (any Error)?
        var received = 0
    }

    enum State: Sendable {
        case notAuthenticated
        /// AUTHENTICATE PLAIN sent "+ " and waits for the client's response line.
        case authenticating(tag: String)
        /// Authenticated; `mailbox` is set in the selected state.
        case authenticated(Login, mailbox: SelectedMailbox?)
        case idling(tag: String, Login, mailbox: SelectedMailbox?)
        case appending(StreamedAppend, Login, mailbox: SelectedMailbox?)
        case loggedOut
    }

    public private(set) var configuration: IMAPSessionConfiguration
    let authenticator: any IMAPAuthenticator
    let now: @Sendable () -> Date
    var state: State = .notAuthenticated
    var modSeqExtensions = ModSeqExtensions()
    /// COMPRESS=DEFLATE is on (RFC 4978): a second COMPRESS gets `NO [COMPRESSIONACTIVE]`.
    var compressionActive = false

    public init(configuration: IMAPSessionConfiguration, authenticator: any IMAPAuthenticator,
                now: @escaping @Sendable () -> Date) {
        self.configuration = configuration
        self.authenticator = authenticator
        self.now = now
    }

    public var phase: IMAPSessionPhase {
        switch state {
        case .notAuthenticated, .authenticating: return .notAuthenticated
        case .authenticated(_, let mailbox), .idling(_, _, let mailbox), .appending(_, _, let mailbox):
            return mailbox.map { .selected($0.name) } ?? .authenticated
        case .loggedOut: return .logout
        }
    }

    /// The greeting (RFC 3501 §7.1.1), with the capabilities so clients skip a round trip.
    public func greeting() -> [IMAPSessionAction] {
        var output = SessionOutput()
        output.untagged(.condition(.ok, .capability(configuration.capabilities(authenticated: false)),
                                   "\(configuration.serverName) ready"))
        return output.actions
    }

    /// After `.startTLS`, once the handshake succeeded.
    public mutating func tlsEstablished() {
        configuration.tlsActive = true
    }

    /// The framer refused input. Fatal errors end the connection. A refusal in the tail of a
    /// streamed APPEND drops that APPEND.
    public mutating func framingFailed(_ error: IMAPFramingError) async -> [IMAPSessionAction] {
        var output = SessionOutput()
        await dropStreamedAppend()
        if error.isFatal {
            output.untagged(.condition(.bye, nil, error.reason))
            output.trailing.append(.close)
            state = .loggedOut
        } else if let tag = error.tag {
            let code: ResponseCode? = if case .literalTooLarge = error.kind { .tooBig } else { nil }
            output.tagged(tag, .bad, code, error.reason)
        } else {
            output.untagged(.condition(.bad, nil, error.reason))
        }
        return output.actions
    }

    /// Storage changed outside this session (new mail, another client): during IDLE the
    /// client is told at once (RFC 2177); otherwise changes wait for the next command.
    public mutating func mailboxChanged() async -> [IMAPSessionAction] {
        guard case .idling(let tag, let login, var mailbox) = state, var selected = mailbox else { return [] }
        var output = SessionOutput()
        await synchronize(&selected, login: login, into: &output)
        mailbox = selected
        state = output.ended ? .loggedOut : .idling(tag: tag, login, mailbox: mailbox)
        return output.actions
    }

    /// The connection is gone (the client hung up, autologout, server shutdown): storage
    /// discards what it holds for the session (the spool of an APPEND cut off mid-literal).
    public mutating func connectionClosed() async {
        await dropStreamedAppend()
        state = .loggedOut
    }

    /// Handles one framer event.
    public mutating func receive(_ frame: IMAPFrame) async -> [IMAPSessionAction] {
        var output = SessionOutput()
        switch frame {
        case .incomplete, .literalEnd:
            break
        case .continuationRequest:
            if case .loggedOut = state { break }
            output.continuation("Ready for literal")
        case .command(let bytes):
            await handleLine(bytes, into: &output)
        case .literalStart(let prefix, _, let synchronizing):
            await beginStreamedAppend(prefix, synchronizing: synchronizing, into: &output)
        case .literalChunk(let bytes):
            await continueStreamedAppend(bytes)
        case .commandTail(let tail):
            await finishStreamedAppend(tail, into: &output)
        }
        if output.ended { state = .loggedOut }
        return output.actions
    }

    private mutating func handleLine(_ bytes: [UInt8], into output: inout SessionOutput) async {
        switch state {
        case .loggedOut:
            return
        case .authenticating(let tag):
            await finishPlainAuthentication(tag: tag, response: bytes, into: &output)
            return
        case .idling(let tag, let login, let mailbox):
            guard IMAPCommandParser.isIdleDone(bytes) else {
                output.untagged(.condition(.bad, nil, "Expected DONE"))
                return
            }
            state = .authenticated(login, mailbox: mailbox)
            output.tagged(tag, .ok, nil, "IDLE terminated")
            return
        case .appending:
            // Cannot happen: the framer sends commandTail first. Recover by dropping the append.
            await dropStreamedAppend()
        case .notAuthenticated, .authenticated:
            break
        }
        let command: TaggedCommand
        do {
            command = try IMAPCommandParser.parse(bytes)
        } catch {
            switch error.kind {
            case .unsupportedCharset:
                output.tagged(error.tag ?? "*", .no, .badCharset(SearchCharset.supported), error.reason)
            case .syntax:
                if let tag = error.tag { output.tagged(tag, .bad, nil, error.reason) } else { output.untagged(.condition(.bad, nil, error.reason)) }
            }
            return
        }
        await execute(command, into: &output)
    }

    /// Where a command may run (RFC 3501 §6).
    enum RequiredState { case any, notAuthenticated, authenticated, selected }

    static func requiredState(_ command: Command) -> RequiredState {
        switch command {
        case .capability, .noop, .logout, .id: return .any
        case .starttls, .authenticate, .login: return .notAuthenticated
        case .select, .examine, .create, .createSpecialUse, .delete, .rename, .subscribe, .unsubscribe, .list, .lsub, .status,
             .append, .multiAppend, .idle, .namespace, .enable, .compress, .selectWithParameters, .getQuota, .getQuotaRoot, .setQuota:
            return .authenticated
        case .check, .close, .unselect, .expunge, .uidExpunge, .search, .fetch, .store, .copy, .move, .fetchWithModifiers,
             .extendedSearch, .sort, .thread:
            return .selected
        }
    }

    private mutating func execute(_ tagged: TaggedCommand, into output: inout SessionOutput) async {
        let tag = tagged.tag
        let required = Self.requiredState(tagged.command)
        switch (required, state) {
        case (.any, _):
            await executeAnyState(tagged, into: &output)
        case (.notAuthenticated, .notAuthenticated):
            await executeNotAuthenticated(tagged, into: &output)
        case (.authenticated, .authenticated(let login, var mailbox)):
            await executeAuthenticated(tagged, login: login, mailbox: &mailbox, into: &output)
            if case .authenticated = state { state = .authenticated(login, mailbox: mailbox) }
        case (.selected, .authenticated(let login, .some(var mailbox))):
            let keep = await executeSelected(tagged, login: login, mailbox: &mailbox, into: &output)
            state = .authenticated(login, mailbox: keep ? mailbox : nil)
        case (.notAuthenticated, _):
            output.tagged(tag, .bad, nil, "Already authenticated")
        case (.selected, .authenticated):
            output.tagged(tag, .bad, nil, "No mailbox selected")
        default:
            output.tagged(tag, .bad, nil, "Not authenticated")
        }
    }

    private mutating func executeAnyState(_ tagged: TaggedCommand, into output: inout SessionOutput) async {
        let tag = tagged.tag
        switch tagged.command {
        case .capability:
            output.untagged(.capability(configuration.capabilities(authenticated: isAuthenticated)))
            output.tagged(tag, .ok, nil, "CAPABILITY completed")
        case .noop:
            if case .authenticated(let login, .some(var mailbox)) = state {
                await synchronize(&mailbox, login: login, into: &output)
                state = .authenticated(login, mailbox: mailbox)
            }
            output.tagged(tag, .ok, nil, "NOOP completed")
        case .logout:
            output.untagged(.condition(.bye, nil, "\(configuration.serverName) logging out"))
            output.tagged(tag, .ok, nil, "LOGOUT completed")
            output.trailing.append(.close)
            state = .loggedOut
        case .id:
            output.untagged(.id(configuration.serverID))
            output.tagged(tag, .ok, nil, "ID completed")
        default:
            output.tagged(tag, .bad, nil, "Unexpected command")
        }
    }

    var isAuthenticated: Bool {
        switch state {
        case .notAuthenticated, .authenticating, .loggedOut: return false
        default: return true
        }
    }

    /// Re-reads the mailbox and reports changes (after commands that allow EXPUNGE responses).
    /// A selected mailbox that another session deleted (or deleted and created again: a new
    /// UIDVALIDITY) cannot be shown any more: the session ends with BYE, as Dovecot does,
    /// rather than answer from a view that no longer exists.
    func synchronize(_ mailbox: inout SelectedMailbox, login: Login, into output: inout SessionOutput) async {
        let snapshot: IMAPMailboxSnapshot
        do {
            snapshot = try await login.store.snapshot(mailbox.name)
        } catch IMAPStoreError.nonexistent {
            output.end("Selected mailbox was deleted, have to disconnect")
            return
        } catch {
            return // a passing storage error: the view stays as it is until the next sync
        }
        guard snapshot.uidValidity == mailbox.uidValidity else {
            output.end("Selected mailbox was recreated (new UIDVALIDITY), have to disconnect")
            return
        }
        for response in mailbox.synchronize(with: snapshot) { output.untagged(response) }
    }
}

/// Collects one event's responses into a single write.
struct SessionOutput {
    var writer = IMAPWriter()
    var trailing: [IMAPSessionAction] = []
    /// Set by `end`: the connection closes after the BYE, and nothing more is written.
    private(set) var ended = false

    /// The write (if any) followed by the other actions.
    var actions: [IMAPSessionAction] {
        (writer.bytes.isEmpty ? [] : [.send(writer.bytes)]) + trailing
    }

    mutating func untagged(_ response: UntaggedResponse) {
        guard !ended else { return }
        writer.response(.untagged(response))
    }

    mutating func tagged(_ tag: String, _ status: ResponseStatus, _ code: ResponseCode?, _ text: String) {
        guard !ended else { return }
        writer.response(.tagged(tag: tag, status: status, code: code, text: text))
    }

    mutating func continuation(_ text: String) {
        guard !ended else { return }
        writer.response(.continuation(text))
    }

    /// `* BYE text`, then close; later responses of this event are dropped.
    mutating func end(_ text: String) {
        guard !ended else { return }
        writer.response(.untagged(.condition(.bye, nil, text)))
        trailing.append(.close)
        ended = true
    }
}
