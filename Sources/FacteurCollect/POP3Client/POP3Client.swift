import FacteurPOP3Core

/// The POP3 side of mail collection: a pure client state machine (RFC 1939, 2449, 2595, 5034).
///
/// The collector owns the socket. It passes every received chunk to `receive(_:)`, performs the
/// returned events in order, and once `.ready` arrives drives the session with `request(_:)`,
/// one command at a time (no pipelining: simpler and never ambiguous).
///
///     greeting → CAPA → [STLS → handshake → CAPA] → AUTH PLAIN | USER/PASS → ready
///     ready → UIDL / LIST / RETR / DELE / NOOP → ready … → QUIT → finished
public struct POP3Client: Sendable {
    enum State: Sendable {
        case greeting
        /// Waiting for the CAPA status line or collecting its lines (nil: status not seen yet).
        case capabilities(lines: [String]?)
        case stls
        case handshaking
        case authPlain(initialResponseSent: Bool)
        case user
        case pass
        case ready
        /// Waiting for the response to a command; `collecting` once a multi-line body has started
        /// (its data accumulates in `multiline`, outside the enum, so appends happen in place).
        case awaiting(POP3ClientCommand, collecting: Bool)
        case done
    }

    /// A multi-line response being collected.
    struct Multiline: Sendable {
        var entries: [POP3ListingEntry] = []
        var content: [UInt8] = []
        var oversize = false
        var badLine: String?
    }

    public let configuration: POP3ClientConfiguration
    private var state: State = .greeting
    private var framer: LineFramer
    private var multiline = Multiline()
    public private(set) var isTLS: Bool
    public private(set) var capabilities: [String] = []

    public init(configuration: POP3ClientConfiguration) {
        self.configuration = configuration
        self.isTLS = configuration.security == .implicitTLS
        // A message line may legitimately be as long as the whole message.
        framer = LineFramer(maximumLineLength: max(configuration.limits.messageSize, configuration.limits.responseLineLength))
    }

    private var limits: CollectionClientLimits { configuration.limits }

    /// True when `request(_:)` may be called.
    public var isReady: Bool { if case .ready = state { true } else { false } }

    /// Bytes from the server.
    public mutating func receive(_ bytes: [UInt8]) -> [POP3ClientEvent] {
        if case .done = state { return [] }
        if case .handshaking = state { return fail(.protocolViolation("data before the TLS handshake")) }
        framer.append(bytes)
        var events: [POP3ClientEvent] = []
        while let frame = framer.next() {
            switch frame {
            case .overflow:
                return events + fail(.lineTooLong)
            case .line(let line):
                events += handle(line)
            }
            if case .done = state { return events }
            if case .handshaking = state {
                // RFC 2595 §4 / CVE-2011-1575: nothing may follow the STLS +OK in plaintext.
                if framer.bufferedCount > 0 { return events + fail(.protocolViolation("data after STLS response")) }
                return events
            }
        }
        return events
    }

    /// The TLS handshake after `.startTLS` succeeded: capabilities are asked again (RFC 2595 §4).
    public mutating func tlsEstablished() -> [POP3ClientEvent] {
        guard case .handshaking = state else { return [] }
        isTLS = true
        capabilities = []
        state = .capabilities(lines: nil)
        return [.send(line("CAPA"))]
    }

    public enum RequestError: Error, Sendable, Equatable { case notReady, invalidMessageNumber }

    /// The bytes to send for a command. Only valid while `isReady`.
    public mutating func request(_ command: POP3ClientCommand) throws(RequestError) -> [UInt8] {
        guard case .ready = state else { throw .notReady }
        let text: String
        switch command {
        case .uidl: text = "UIDL"
        case .list: text = "LIST"
        case .retrieve(let n):
            guard n > 0 else { throw .invalidMessageNumber }
            text = "RETR \(n)"
        case .delete(let n):
            guard n > 0 else { throw .invalidMessageNumber }
            text = "DELE \(n)"
        case .noop: text = "NOOP"
        case .quit: text = "QUIT"
        }
        state = .awaiting(command, collecting: false)
        return line(text)
    }

    // MARK: - Lines

    private mutating func handle(_ raw: [UInt8]) -> [POP3ClientEvent] {
        switch state {
        case .capabilities(let lines?):
            return capabilityLine(raw, lines)
        case .awaiting(let command, collecting: true):
            return dataLine(raw, command)
        default:
            break
        }
        guard raw.count <= limits.responseLineLength else { return fail(.lineTooLong) }
        guard let status = POP3StatusLine(raw) else {
            if case .authPlain = state, raw.first == UInt8(ascii: "+") {
                return continuation()
            }
            return fail(.protocolViolation("unexpected line: \(String(decoding: raw.prefix(80), as: UTF8.self))"))
        }
        switch state {
        case .greeting:
            guard status.ok else { return fail(.greetingRejected(status.text)) }
            state = .capabilities(lines: nil)
            return [.send(line("CAPA"))]

        case .capabilities:
            // Status of CAPA. -ERR: a pre-RFC 2449 server; carry on without capabilities.
            if status.ok {
                state = .capabilities(lines: [])
                return []
            }
            return afterCapabilities()

        case .stls:
            guard status.ok else { return fail(.tlsUnavailable(status.text)) }
            state = .handshaking
            return [.startTLS]

        case .authPlain, .pass:
            guard status.ok else { return fail(.authenticationFailed(code: status.code, message: status.text)) }
            state = .ready
            return [.ready(capabilities: capabilities)]

        case .user:
            guard status.ok else { return fail(.authenticationFailed(code: status.code, message: status.text)) }
            state = .pass
            return [.send(line("PASS " + configuration.password))]

        case .awaiting(let command, collecting: false):
            return commandStatus(status, command)

        case .ready, .handshaking, .done, .awaiting:
            return fail(.protocolViolation("unsolicited response"))
        }
    }

    private mutating func capabilityLine(_ raw: [UInt8], _ lines: [String]) -> [POP3ClientEvent] {
        switch POP3DotStuffing.decode(line: raw) {
        case .end:
            capabilities = lines
            return afterCapabilities()
        case .content(let bytes):
            guard lines.count < 1000, bytes.count <= limits.responseLineLength else {
                return fail(.protocolViolation("capability list too long"))
            }
            state = .capabilities(lines: lines + [String(decoding: bytes, as: UTF8.self)])
            return []
        }
    }

    /// After CAPA: upgrade if required, then log in with the best mechanism offered.
    private mutating func afterCapabilities() -> [POP3ClientEvent] {
        if configuration.security == .startTLS && !isTLS {
            // Sent even if STLS is not listed: a refusal fails the run rather than downgrading.
            state = .stls
            return [.send(line("STLS"))]
        }
        // A CR or LF in the configured credentials would inject commands.
        if (configuration.user + configuration.password).utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) {
            return fail(.authenticationFailed(code: nil, message: "configured credentials contain control characters"))
        }
        let plain = capabilities.contains { entry in
            let words = entry.uppercased().split(separator: " ")
            return words.first == "SASL" && words.dropFirst().contains("PLAIN")
        }
        if plain {
            let response = SASLPlain(user: configuration.user, password: Array(configuration.password.utf8)).encodedResponse()
            let command = Array("AUTH PLAIN ".utf8) + response
            // RFC 5034 §4: an initial response that would make the command longer than 255
            // octets (CRLF included) is sent after the "+ " instead.
            if command.count + 2 <= 255 {
                state = .authPlain(initialResponseSent: true)
                return [.send(command + [0x0D, 0x0A])]
            }
            state = .authPlain(initialResponseSent: false)
            return [.send(line("AUTH PLAIN"))]
        }
        state = .user
        return [.send(line("USER " + configuration.user))]
    }

    /// "+ " during AUTH PLAIN: send the response now, unless it was already sent.
    private mutating func continuation() -> [POP3ClientEvent] {
        guard case .authPlain(false) = state else {
            return fail(.protocolViolation("unexpected SASL challenge"))
        }
        state = .authPlain(initialResponseSent: true)
        let response = SASLPlain(user: configuration.user, password: Array(configuration.password.utf8)).encodedResponse()
        return [.send(response + [0x0D, 0x0A])]
    }

    private mutating func commandStatus(_ status: POP3StatusLine, _ command: POP3ClientCommand) -> [POP3ClientEvent] {
        if command == .quit {
            state = .done
            return status.ok ? [.finished, .close] : [.failed(.quitFailed(status.text)), .close]
        }
        guard status.ok else {
            state = .ready
            return [.commandFailed(command, reason: status.text)]
        }
        switch command {
        case .uidl, .list, .retrieve:
            state = .awaiting(command, collecting: true)
            multiline = Multiline()
            return []
        case .delete(let n):
            state = .ready
            return [.deleted(n)]
        case .noop:
            state = .ready
            return [.noop]
        case .quit:
            return []
        }
    }

    private mutating func dataLine(_ raw: [UInt8], _ command: POP3ClientCommand) -> [POP3ClientEvent] {
        switch POP3DotStuffing.decode(line: raw) {
        case .end:
            state = .ready
            let collected = multiline
            multiline = Multiline()
            return finish(command, collected)
        case .content(let bytes):
            switch command {
            case .retrieve:
                if !multiline.oversize {
                    if multiline.content.count + bytes.count + 2 > limits.messageSize {
                        multiline.oversize = true
                        multiline.content = []
                    } else {
                        multiline.content.append(contentsOf: bytes)
                        multiline.content.append(contentsOf: [0x0D, 0x0A])
                    }
                }
            case .uidl, .list:
                if multiline.badLine == nil {
                    if multiline.entries.count >= limits.listingEntries {
                        multiline.badLine = "listing too long"
                    } else if let entry = listingEntry(bytes, isUIDL: command == .uidl) {
                        multiline.entries.append(entry)
                    } else {
                        multiline.badLine = "bad listing line: \(String(decoding: bytes.prefix(80), as: UTF8.self))"
                        multiline.entries = []
                    }
                }
            case .delete, .noop, .quit:
                break
            }
            return []
        }
    }

    private func finish(_ command: POP3ClientCommand, _ multiline: Multiline) -> [POP3ClientEvent] {
        switch command {
        case .retrieve(let n):
            if multiline.oversize { return [.commandFailed(command, reason: "message exceeds the size limit")] }
            return [.message(index: n, content: multiline.content)]
        case .uidl, .list:
            if let bad = multiline.badLine { return [.commandFailed(command, reason: bad)] }
            return [command == .uidl ? .uidListing(multiline.entries) : .sizeListing(multiline.entries)]
        case .delete, .noop, .quit:
            return []
        }
    }

    /// `msg SP unique-id` (RFC 1939 §7 UIDL) or `msg SP size` (LIST). unique-id is 0x21–0x7E.
    private func listingEntry(_ bytes: [UInt8], isUIDL: Bool) -> POP3ListingEntry? {
        let parts = bytes.split(separator: 0x20, omittingEmptySubsequences: true)
        // Leniency: some servers append extra fields to LIST lines; they are ignored.
        guard parts.count >= 2, isUIDL ? parts.count == 2 : true else { return nil }
        guard let index = POP3Command.number(String(decoding: parts[0], as: UTF8.self)), index > 0, index < Int.max else { return nil }
        let value = parts[1]
        if isUIDL {
            guard value.count <= limits.uidLength, value.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
        } else {
            guard value.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        }
        return POP3ListingEntry(index: index, value: String(decoding: value, as: UTF8.self))
    }

    private mutating func fail(_ error: POP3ClientError) -> [POP3ClientEvent] {
        state = .done
        return [.failed(error), .close]
    }

    private func line(_ text: String) -> [UInt8] { Array(text.utf8) + [0x0D, 0x0A] }
}
