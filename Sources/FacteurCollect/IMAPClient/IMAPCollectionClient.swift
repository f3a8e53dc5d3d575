import Foundation

/// The IMAP side of mail collection: a minimal, pure client state machine (RFC 3501).
///
///     greeting → [STARTTLS → handshake] → LOGIN → SELECT → ready
///     ready → UID SEARCH ALL / UID FETCH / UID STORE + EXPUNGE → ready … → LOGOUT → finished
///
/// The collector passes received bytes to `receive(_:)` and performs the events in order; once
/// `.ready` arrives it issues `request(_:)` one at a time. Literals (also split across reads)
/// are handled by `IMAPResponseFramer`; LOGIN strings that cannot be quoted are sent as
/// synchronizing literals, waiting for the "+" continuation.
public struct IMAPCollectionClient: Sendable {
    enum Phase: Sendable, Equatable {
        case greeting
        case startTLS
        case handshaking
        case login
        case select
        case ready
        case request(IMAPClientCommand)
        /// The STORE of a delete completed; EXPUNGE is running.
        case expunge([UInt32])
        case done
    }

    public let configuration: IMAPClientConfiguration
    private var phase: Phase = .greeting
    private var framer: IMAPResponseFramer
    private var tagCounter = 0
    private var tag = ""
    /// Chunks of the current command still waiting for a continuation.
    private var pendingChunks: [[UInt8]] = []
    public private(set) var isTLS: Bool
    public private(set) var uidValidity: UInt32?
    public private(set) var exists = 0
    private var searchResult: [UInt32] = []
    private var searchOverflow = false
    private var fetchedBody: [UInt8]?
    private var fetchedDate: Date?

    public init(configuration: IMAPClientConfiguration) {
        self.configuration = configuration
        self.isTLS = configuration.security == .implicitTLS
        framer = IMAPResponseFramer(maximumLineLength: configuration.limits.responseLineLength,
                                    maximumLiteral: configuration.limits.messageSize)
    }

    public var isReady: Bool { phase == .ready }

    public mutating func receive(_ bytes: [UInt8]) -> [IMAPClientEvent] {
        if phase == .done { return [] }
        if phase == .handshaking { return fail(.protocolViolation("data before the TLS handshake")) }
        framer.append(bytes)
        var events: [IMAPClientEvent] = []
        while let result = framer.next() {
            switch result {
            case .failure(.lineTooLong): return events + fail(.lineTooLong)
            case .failure(.literalTooLarge(let size)): return events + fail(.literalTooLarge(size))
            case .success(let parts): events += handle(parts)
            }
            if phase == .done { return events }
            if phase == .handshaking {
                // RFC 3501 §6.2.1 / CVE-2011-1575: nothing may follow the OK in plaintext.
                if framer.bufferedCount > 0 { return events + fail(.protocolViolation("data after STARTTLS response")) }
                return events
            }
        }
        return events
    }

    public mutating func tlsEstablished() -> [IMAPClientEvent] {
        guard phase == .handshaking else { return [] }
        isTLS = true
        return login()
    }

    public enum RequestError: Error, Sendable, Equatable { case notReady, emptyUIDSet }

    public mutating func request(_ command: IMAPClientCommand) throws(RequestError) -> [UInt8] {
        guard phase == .ready else { throw .notReady }
        var builder = IMAPCommandBuilder(tag: nextTag())
        switch command {
        case .search:
            searchResult = []; searchOverflow = false
            builder.atom("UID SEARCH ALL")
        case .fetch(let uid):
            fetchedBody = nil; fetchedDate = nil
            builder.atom("UID FETCH \(uid) (BODY.PEEK[] INTERNALDATE)")
        case .delete(let uids):
            guard !uids.isEmpty else { throw .emptyUIDSet }
            builder.atom("UID STORE \(IMAPCommandBuilder.sequenceSet(uids)) +FLAGS.SILENT (\\Deleted)")
        case .logout:
            builder.atom("LOGOUT")
        }
        phase = .request(command)
        return builder.finish()[0]
    }

    // MARK: - Responses

    private mutating func handle(_ parts: [IMAPResponseFramer.Part]) -> [IMAPClientEvent] {
        var reader = IMAPTokenReader(parts)
        guard let first = reader.next() else { return fail(.protocolViolation("empty response")) }
        switch first {
        case .atom("*"):
            return untagged(&reader)
        case .atom("+"):
            guard !pendingChunks.isEmpty else { return fail(.protocolViolation("unexpected continuation")) }
            return [.send(pendingChunks.removeFirst())]
        case .atom(let received) where !tag.isEmpty && received == tag:
            guard case .atom(let word)? = reader.next() else { return fail(.protocolViolation("tagged response without status")) }
            let status = word.uppercased()
            guard ["OK", "NO", "BAD"].contains(status) else { return fail(.protocolViolation("bad status \(word)")) }
            tag = ""
            pendingChunks = []
            return tagged(ok: status == "OK", text: reader.restOfLine())
        default:
            return fail(.protocolViolation("unexpected response"))
        }
    }

    private mutating func untagged(_ reader: inout IMAPTokenReader) -> [IMAPClientEvent] {
        guard case .atom(let word)? = reader.next() else { return [] }
        if let number = Int(word) {
            guard case .atom(let kind)? = reader.next() else { return [] }
            switch kind.uppercased() {
            case "EXISTS": exists = number
            case "FETCH": fetchData(&reader)
            default: break   // EXPUNGE, RECENT: we address messages by UID
            }
            return []
        }
        switch word.uppercased() {
        case "OK":
            if phase == .greeting { return greeted(preauthenticated: false) }
            // resp-text-code "UIDVALIDITY" SP nz-number (RFC 3501 §7.1)
            if reader.next() == .openBracket, case .atom(let code)? = reader.next(), code.uppercased() == "UIDVALIDITY",
               case .atom(let value)? = reader.next(), let validity = UInt32(value) {
                uidValidity = validity
            }
            return []
        case "PREAUTH":
            guard phase == .greeting else { return fail(.protocolViolation("PREAUTH after greeting")) }
            return greeted(preauthenticated: true)
        case "BYE":
            let text = reader.restOfLine()
            if phase == .greeting { return fail(.greetingRejected(text)) }
            if phase == .request(.logout) { return [] }
            return fail(.closedByServer(text))
        case "SEARCH":
            guard phase == .request(.search) else { return [] }
            while case .atom(let value)? = reader.next() {
                guard let uid = UInt32(value) else { break }
                if searchResult.count < configuration.limits.listingEntries { searchResult.append(uid) } else { searchOverflow = true }
            }
            return []
        default:
            if phase == .greeting { return fail(.greetingRejected("unexpected greeting")) }
            return []   // CAPABILITY, FLAGS, NO/BAD warnings …
        }
    }

    /// msg-att inside `* n FETCH (...)`: UID, INTERNALDATE and BODY[] are kept, the rest skipped.
    private mutating func fetchData(_ reader: inout IMAPTokenReader) {
        guard case .request(.fetch(let wanted)) = phase, reader.next() == .open else { return }
        var uid: UInt32?
        var body: [UInt8]?
        var date: Date?
        while let token = reader.next(), token != .close {
            guard case .atom(let name) = token else { return }
            let upper = name.uppercased()
            if upper == "UID" {
                guard case .atom(let value)? = reader.next() else { return }
                uid = UInt32(value)
            } else if upper == "INTERNALDATE" {
                guard case .quoted(let value)? = reader.next() else { return }
                date = IMAPInternalDate.parse(String(decoding: value, as: UTF8.self))
            } else if upper == "BODY[]" || upper.hasPrefix("BODY[]<") {
                switch reader.next() {
                case .literal(let bytes)?, .quoted(let bytes)?: body = bytes
                default: body = nil   // NIL
                }
            } else if !skipValue(&reader) {
                return
            }
        }
        // A FETCH without UID may be an unsolicited flag update; bodies are only taken for our
        // UID (or, leniently, from a FETCH that omits the UID). Parts may come in separate FETCHes.
        guard uid == nil || uid == wanted else { return }
        if let body { fetchedBody = body }
        if let date { fetchedDate = date }
    }

    /// Skips one value: a token or a parenthesised list. False on malformed input.
    private func skipValue(_ reader: inout IMAPTokenReader) -> Bool {
        guard let token = reader.next() else { return false }
        guard token == .open else { return token != .close }
        var depth = 1
        while depth > 0 {
            guard let inner = reader.next() else { return false }
            if inner == .open { depth += 1 } else if inner == .close { depth -= 1 }
        }
        return true
    }

    private mutating func tagged(ok: Bool, text: String) -> [IMAPClientEvent] {
        switch phase {
        case .startTLS:
            guard ok else { return fail(.tlsUnavailable(text)) }
            phase = .handshaking
            return [.startTLS]
        case .login:
            guard ok else { return fail(.authenticationFailed(text)) }
            return select()
        case .select:
            guard ok else { return fail(.selectFailed(text)) }
            phase = .ready
            return [.ready(uidValidity: uidValidity, exists: exists)]
        case .request(let command):
            return completed(command, ok: ok, text: text)
        case .expunge(let uids):
            phase = .ready
            return ok ? [.deleted(uids)] : [.commandFailed(.delete(uids: uids), reason: text)]
        case .greeting, .handshaking, .ready, .done:
            return fail(.protocolViolation("unexpected tagged response"))
        }
    }

    private mutating func completed(_ command: IMAPClientCommand, ok: Bool, text: String) -> [IMAPClientEvent] {
        if command == .logout {
            phase = .done
            return [.finished, .close]
        }
        phase = .ready
        guard ok else { return [.commandFailed(command, reason: text)] }
        switch command {
        case .search:
            if searchOverflow { return [.commandFailed(command, reason: "search result too long")] }
            return [.searchResult(searchResult)]
        case .fetch(let uid):
            guard let body = fetchedBody else { return [.commandFailed(command, reason: "message not returned (expunged?)")] }
            fetchedBody = nil
            return [.message(uid: uid, internalDate: fetchedDate, content: body)]
        case .delete(let uids):
            phase = .expunge(uids)
            var builder = IMAPCommandBuilder(tag: nextTag())
            builder.atom("EXPUNGE")
            return [.send(builder.finish()[0])]
        case .logout:
            return []
        }
    }

    // MARK: - Steps

    private mutating func greeted(preauthenticated: Bool) -> [IMAPClientEvent] {
        if configuration.security == .startTLS && !isTLS {
            // STARTTLS is only valid before authentication (RFC 3501 §6.2.1).
            guard !preauthenticated else { return fail(.tlsUnavailable("PREAUTH greeting, STARTTLS impossible")) }
            phase = .startTLS
            var builder = IMAPCommandBuilder(tag: nextTag())
            builder.atom("STARTTLS")
            return [.send(builder.finish()[0])]
        }
        return preauthenticated ? select() : login()
    }

    private mutating func login() -> [IMAPClientEvent] {
        phase = .login
        var builder = IMAPCommandBuilder(tag: nextTag())
        builder.atom("LOGIN")
        builder.string(configuration.user)
        builder.string(configuration.password)
        var chunks = builder.finish()
        let first = chunks.removeFirst()
        pendingChunks = chunks
        return [.send(first)]
    }

    private mutating func select() -> [IMAPClientEvent] {
        phase = .select
        uidValidity = nil; exists = 0
        var builder = IMAPCommandBuilder(tag: nextTag())
        builder.atom("SELECT")
        builder.string(configuration.mailbox)
        var chunks = builder.finish()
        let first = chunks.removeFirst()
        pendingChunks = chunks
        return [.send(first)]
    }

    private mutating func nextTag() -> String {
        tagCounter += 1
        tag = "C\(tagCounter)"
        return tag
    }

    private mutating func fail(_ error: IMAPClientError) -> [IMAPClientEvent] {
        phase = .done
        return [.failed(error), .close]
    }
}
