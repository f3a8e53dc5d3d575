import Foundation
import FacteurMIME

/// Settings of one SMTP receiver session, from the configuration.
public struct SMTPSessionSettings: Sendable {
    public var hostname: String
    public var maxMessageSize: Int
    public var maxRecipients: Int
    public var maxErrors: Int
    public var commandLineLength: Int
    public var greetingTimeout: TimeInterval
    public var commandTimeout: TimeInterval
    public var dataBlockTimeout: TimeInterval
    /// STARTTLS is offered (a certificate is configured).
    public var tlsAvailable: Bool

    public init(hostname: String, maxMessageSize: Int = SMTPLimits.messageSize,
                maxRecipients: Int = SMTPLimits.recipientsPerMessage, maxErrors: Int = SMTPLimits.errorsPerSession,
                commandLineLength: Int = SMTPLimits.commandLineLength,
                greetingTimeout: TimeInterval = SMTPLimits.greetingTimeout,
                commandTimeout: TimeInterval = SMTPLimits.commandTimeout,
                dataBlockTimeout: TimeInterval = SMTPLimits.dataBlockTimeout, tlsAvailable: Bool) {
        self.hostname = hostname; self.maxMessageSize = maxMessageSize; self.maxRecipients = maxRecipients
        self.maxErrors = maxErrors; self.commandLineLength = commandLineLength
        self.greetingTimeout = greetingTimeout; self.commandTimeout = commandTimeout
        self.dataBlockTimeout = dataBlockTimeout; self.tlsAvailable = tlsAvailable
    }
}

/// The negotiated TLS parameters, for the Received header.
public struct TLSInfo: Sendable, Equatable {
    public var version: String
    public var cipher: String
    public init(version: String, cipher: String) { self.version = version; self.cipher = cipher }
}

/// Misbehaviour the guard hears about.
public enum SMTPOffence: String, Sendable, Equatable {
    case relayAttempt, unknownRecipient, badCommand, overlongLine, smuggling, tlsInjection, flood, prematureTalk
}

/// A message about to be stored: who for, and the trace headers to prepend.
public struct MessageEnvelope: Sendable, Equatable {
    public var id: String
    /// Reverse-path as text ("" for the null sender).
    public var sender: String
    /// Mailbox owners, de-duplicated ("alice@example.com").
    public var owners: [String]
    /// The RCPT addresses as given.
    public var recipients: [String]
    /// `Return-Path:` and `Received:` header lines, CRLF-terminated.
    public var traceHeaders: [UInt8]
}

/// What the session asks its edge to do, in order.
public enum SMTPAction: Sendable, Equatable {
    case send(SMTPReply)
    /// Flush pending replies, then put TLS on the connection and call `tlsEstablished`.
    case startTLS
    case openMessage(MessageEnvelope)
    case writeMessage([UInt8])
    /// Make the message durable for every owner, then call `deliveryFinished`.
    case commitMessage
    case discardMessage
    case offence(SMTPOffence, evidence: [String])
    /// A command and the reply code it got, for the event stream.
    case command(verb: String, code: Int)
    case rejected(rule: String, reason: String, sender: String?, recipient: String?)
    case close
}

/// The SMTP receiver (RFC 5321 server side) as a value: bytes in, actions out.
///
/// The session (greeting, EHLO, TLS) is kept apart from the transaction (MAIL, RCPT, DATA):
/// RSET and a finished message drop only the transaction (OpenSMTPD's `smtp_tx`).
public struct SMTPSession: Sendable {
    enum Phase: Sendable, Equatable {
        /// Greeting not sent yet.
        case connected
        case command
        /// Skipping the rest of an over-long command line.
        case discardingLine
        case data(SMTPDataDecoder)
        case bdat(remaining: Int, last: Bool)
        /// The message is being made durable; input waits.
        case awaitingDelivery
        case awaitingTLS
        case closed
    }

    struct Transaction: Sendable {
        var sender: SMTPPath
        var senderText: String
        var declaredSize: Int?
        var smtputf8: Bool
        var recipients: [String] = []
        var owners: [String] = []
        /// BDAT chunks received so far.
        var bdatSize = 0
        var bdatOpened = false
        var bdatLines = LineLengthTracker()
        var bdatFailed: SMTPReply?
    }

    public let settings: SMTPSessionSettings
    let directory: any RecipientDirectory
    /// Owners' quotas: RCPT and the end of DATA answer 452 4.2.2 for a full mailbox.
    let quotas: any QuotaDirectory
    public let remoteAddress: String

    var phase: Phase = .connected
    /// The HELO/EHLO name given (the HELO identity of SPF, RFC 7208 §2.3).
    public internal(set) var heloName: String?
    var esmtp = false
    public private(set) var tls: TLSInfo?
    var transaction: Transaction?
    public private(set) var errors = 0
    var input: [UInt8] = []
    var readIndex = 0
    var now: Date
    var shuttingDown = false
    /// The last command lines, as evidence for the guard.
    public private(set) var transcript: [String] = []
    /// Messages accepted in this session.
    public private(set) var delivered = 0

    public init(settings: SMTPSessionSettings, directory: any RecipientDirectory, quotas: any QuotaDirectory = NoQuotas(),
                remoteAddress: String, tls: TLSInfo? = nil, now: Date) {
        self.settings = settings; self.directory = directory; self.quotas = quotas; self.remoteAddress = remoteAddress
        self.tls = tls; self.now = now
    }

    public var isClosed: Bool { phase == .closed }
    /// Whether the session is in the middle of receiving or storing a message.
    public var isInMessage: Bool {
        switch phase {
        case .data, .bdat, .awaitingDelivery: return true
        default: return transaction?.bdatOpened ?? false
        }
    }

    /// How long the edge waits for the client before calling `timedOut()` (RFC 5321 §4.5.3.2).
    public var currentTimeout: TimeInterval {
        switch phase {
        case .data, .bdat: return settings.dataBlockTimeout
        case .connected: return settings.greetingTimeout
        default: return heloName == nil ? settings.greetingTimeout : settings.commandTimeout
        }
    }

    // MARK: Events from the edge

    public mutating func start(now: Date) -> [SMTPAction] {
        self.now = now
        if readIndex < input.count {
            // RFC 5321 §3.1: the client waits for the greeting. Bots that do not are refused.
            remember("<\(input.count - readIndex) octets sent before the greeting>")
            var actions: [SMTPAction] = [.offence(.prematureTalk, evidence: transcript),
                                         .rejected(rule: "premature-talk", reason: "talked before the greeting", sender: nil, recipient: nil)]
            close(SMTPReply(554, "5.5.1", "Protocol error: talking before the greeting"), &actions)
            return actions
        }
        phase = .command
        return [.send(SMTPReply(220, nil, "\(settings.hostname) ESMTP Facteur ready"))]
    }

    public mutating func receive(_ bytes: some Collection<UInt8>, now: Date) -> [SMTPAction] {
        self.now = now
        if phase == .closed { return [] }
        input.append(contentsOf: bytes)
        var actions: [SMTPAction] = []
        process(&actions)
        compact()
        // Input that piles up while we are not reading it (a flood during a delivery) is refused.
        if input.count - readIndex > SMTPLimits.inputBuffer * 16 && phase != .closed {
            actions.append(.offence(.flood, evidence: transcript))
            close(SMTPReply(421, "4.7.0", "Too much input, closing connection"), &actions)
        }
        return actions
    }

    public mutating func deliveryFinished(_ result: Result<String, SMTPReply>, now: Date) -> [SMTPAction] {
        self.now = now
        guard phase == .awaitingDelivery else { return [] }
        var actions: [SMTPAction] = []
        phase = .command
        let verb = transaction?.bdatOpened == true ? "BDAT" : "DATA"
        switch result {
        case .success(let id):
            delivered += 1
            reply(SMTPReply(250, "2.0.0", "OK: message \(id) accepted"), verb: verb, &actions)
        case .failure(let r):
            reply(r, verb: verb, &actions)
        }
        transaction = nil
        if shuttingDown {
            close(.shuttingDown, &actions)
            return actions
        }
        process(&actions)
        compact()
        return actions
    }

    public mutating func tlsEstablished(_ info: TLSInfo, now: Date) -> [SMTPAction] {
        self.now = now
        guard phase == .awaitingTLS else { return [] }
        // RFC 3207 §4.2: forget everything learnt before TLS.
        tls = info
        heloName = nil; esmtp = false; transaction = nil
        input.removeAll(); readIndex = 0
        phase = .command
        return []
    }

    public mutating func timedOut(now: Date) -> [SMTPAction] {
        self.now = now
        var actions: [SMTPAction] = []
        if isInMessage { actions.append(.discardMessage) }
        close(.timeout, &actions)
        return actions
    }

    /// Graceful shutdown: idle sessions get 421 now; a message in flight finishes first.
    public mutating func shutdown(now: Date) -> [SMTPAction] {
        self.now = now
        shuttingDown = true
        var actions: [SMTPAction] = []
        switch phase {
        case .command, .discardingLine, .connected, .awaitingTLS:
            if transaction?.bdatOpened == true { actions.append(.discardMessage) }
            close(.shuttingDown, &actions)
        case .data, .bdat, .awaitingDelivery, .closed:
            break
        }
        return actions
    }

    /// The edge gives up on a message in flight (shutdown grace period over).
    public mutating func abort(now: Date) -> [SMTPAction] {
        self.now = now
        var actions: [SMTPAction] = []
        if phase == .closed { return [] }
        if isInMessage { actions.append(.discardMessage) }
        close(.shuttingDown, &actions)
        return actions
    }

    // MARK: Input processing

    private mutating func compact() {
        if readIndex > 0 {
            if readIndex >= input.count { input.removeAll(keepingCapacity: input.capacity <= 65536) }
            else { input.removeFirst(readIndex) }
            readIndex = 0
        }
    }

    private mutating func process(_ actions: inout [SMTPAction]) {
        while readIndex < input.count {
            switch phase {
            case .command:
                guard let lf = input[readIndex...].firstIndex(of: 10) else {
                    if input.count - readIndex > settings.commandLineLength {
                        readIndex = input.count
                        phase = .discardingLine
                        lineTooLong(&actions)
                    }
                    return
                }
                var end = lf
                if end > readIndex && input[end - 1] == 13 { end -= 1 }
                let lineBytes = input[readIndex..<end]
                readIndex = lf + 1
                if lineBytes.count > settings.commandLineLength {
                    lineTooLong(&actions)
                } else {
                    handleLine(lineBytes, &actions)
                }
            case .discardingLine:
                if let lf = input[readIndex...].firstIndex(of: 10) {
                    readIndex = lf + 1
                    phase = .command
                } else {
                    readIndex = input.count
                }
            case .data(var decoder):
                var chunk: [UInt8] = []
                chunk.reserveCapacity(min(input.count - readIndex, 1 << 20))
                readIndex += decoder.decode(input[readIndex...], into: &chunk)
                if !chunk.isEmpty { actions.append(.writeMessage(chunk)) }
                if decoder.finished {
                    finishData(decoder, &actions)
                } else {
                    phase = .data(decoder)
                }
            case .bdat(let remaining, let last):
                let n = min(remaining, input.count - readIndex)
                let bytes = input[readIndex..<readIndex + n]
                readIndex += n
                bdatBytes(bytes, &actions)
                if remaining - n == 0 {
                    finishBDATChunk(last: last, &actions)
                } else {
                    phase = .bdat(remaining: remaining - n, last: last)
                }
            case .connected, .awaitingDelivery, .awaitingTLS, .closed:
                return
            }
        }
    }

    private mutating func lineTooLong(_ actions: inout [SMTPAction]) {
        remember("<line over \(settings.commandLineLength) octets>")
        actions.append(.offence(.overlongLine, evidence: transcript))
        error(.lineTooLong, verb: "?", &actions)
    }

    private mutating func remember(_ line: String) {
        transcript.append(line.count > 200 ? String(line.prefix(200)) + "…" : line)
        if transcript.count > SMTPLimits.evidenceLines { transcript.removeFirst() }
    }

    private mutating func reply(_ r: SMTPReply, verb: String, _ actions: inout [SMTPAction]) {
        actions.append(.send(r))
        actions.append(.command(verb: verb, code: r.code))
    }

    /// A failed command: counts towards the error limit (RFC 5321 §4.5.3.2 and common practice).
    private mutating func error(_ r: SMTPReply, verb: String, _ actions: inout [SMTPAction]) {
        errors += 1
        if errors >= settings.maxErrors {
            reply(r, verb: verb, &actions)
            actions.append(.offence(.badCommand, evidence: transcript))
            if isInMessage { actions.append(.discardMessage) }
            close(.tooManyErrors, &actions)
        } else {
            reply(r, verb: verb, &actions)
        }
    }

    private mutating func close(_ r: SMTPReply, _ actions: inout [SMTPAction]) {
        actions.append(.send(r))
        actions.append(.close)
        phase = .closed
        readIndex = input.count
    }

    private mutating func handleLine(_ bytes: ArraySlice<UInt8>, _ actions: inout [SMTPAction]) {
        guard let line = String(validating: bytes, as: UTF8.self) else {
            remember("<invalid UTF-8>")
            error(SMTPReply(500, "5.5.2", "Invalid characters in command"), verb: "?", &actions)
            return
        }
        remember(line)
        switch SMTPCommand.parse(Substring(line)) {
        case .failure(let r):
            if r == .unrecognised { actions.append(.offence(.badCommand, evidence: transcript)) }
            error(r, verb: line.split(separator: " ").first.map { String($0.prefix(16)).uppercased() } ?? "?", &actions)
        case .success(let cmd):
            execute(cmd, &actions)
        }
    }

    // MARK: Commands

    private mutating func execute(_ cmd: SMTPCommand, _ actions: inout [SMTPAction]) {
        let verb = cmd.verb
        // During a BDAT transaction only BDAT, RSET, QUIT and NOOP make sense (RFC 3030 §2).
        if transaction?.bdatOpened == true {
            switch cmd {
            case .bdat, .rset, .quit, .noop: break
            default:
                error(.badSequence, verb: verb, &actions); return
            }
        }
        switch cmd {
        case .helo(let name), .ehlo(let name):
            heloName = name
            transaction = nil
            if case .ehlo = cmd {
                esmtp = true
                var lines = ["\(settings.hostname) greets \(name) [\(remoteAddress)]",
                             "PIPELINING", "SIZE \(settings.maxMessageSize)", "8BITMIME", "ENHANCEDSTATUSCODES"]
                if settings.tlsAvailable && tls == nil { lines.append("STARTTLS") }
                lines += ["SMTPUTF8", "CHUNKING", "HELP"]
                reply(SMTPReply(250, nil, lines: lines), verb: verb, &actions)
            } else {
                esmtp = false
                reply(SMTPReply(250, nil, "\(settings.hostname) greets \(name) [\(remoteAddress)]"), verb: verb, &actions)
            }
        case .mail(let arg):
            mail(arg, &actions)
        case .rcpt(let arg):
            rcpt(arg, &actions)
        case .data:
            data(&actions)
        case .bdat(let size, let last):
            bdat(size: size, last: last, &actions)
        case .rset:
            if transaction?.bdatOpened == true { actions.append(.discardMessage) }
            transaction = nil
            reply(.ok, verb: verb, &actions)
        case .noop:
            reply(.ok, verb: verb, &actions)
        case .quit:
            reply(SMTPReply(221, "2.0.0", "\(settings.hostname) closing connection"), verb: verb, &actions)
            actions.append(.close)
            phase = .closed
            readIndex = input.count
        case .vrfy:
            // RFC 5321 §3.5.3: 252 neither confirms nor denies; no user enumeration.
            reply(SMTPReply(252, "2.5.0", "Cannot VRFY user, but will accept message for local users"), verb: verb, &actions)
        case .expn:
            reply(SMTPReply(502, "5.5.1", "EXPN not available"), verb: verb, &actions)
        case .help:
            reply(SMTPReply(214, "2.0.0", lines: ["Facteur receives mail for its own domains only.",
                                                  "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS"]), verb: verb, &actions)
        case .starttls:
            starttls(&actions)
        case .auth:
            // Facteur never relays, so there is nothing to authenticate for on port 25.
            error(SMTPReply(502, "5.5.1", "AUTH not available: this server does not relay"), verb: verb, &actions)
        }
    }

    private mutating func starttls(_ actions: inout [SMTPAction]) {
        if tls != nil { error(SMTPReply(503, "5.5.1", "TLS already active"), verb: "STARTTLS", &actions); return }
        guard settings.tlsAvailable else {
            error(SMTPReply(454, "4.7.0", "TLS not available"), verb: "STARTTLS", &actions); return
        }
        if readIndex < input.count {
            // RFC 3207 §5 / CVE-2011-0411: anything pipelined after STARTTLS is an injection attempt.
            remember("<\(input.count - readIndex) octets pipelined after STARTTLS>")
            actions.append(.offence(.tlsInjection, evidence: transcript))
            readIndex = input.count
        }
        reply(SMTPReply(220, "2.0.0", "Ready to start TLS"), verb: "STARTTLS", &actions)
        transaction = nil
        phase = .awaitingTLS
        actions.append(.startTLS)
    }

    private mutating func mail(_ arg: Substring, _ actions: inout [SMTPAction]) {
        guard heloName != nil else { error(SMTPReply(503, "5.5.1", "Send EHLO or HELO first"), verb: "MAIL", &actions); return }
        guard transaction == nil else { error(SMTPReply(503, "5.5.1", "Nested MAIL command"), verb: "MAIL", &actions); return }
        // Parameters decide whether UTF-8 is allowed in the path, so look at them first.
        let utf8Hint = arg.uppercased().contains("SMTPUTF8")
        let parsed = SMTPAddressParser.parsePath(arg, utf8Allowed: utf8Hint && esmtp)
        guard case .success(let (path, paramText)) = parsed else {
            if case .failure(let e) = parsed { error(e.reply, verb: "MAIL", &actions) }
            return
        }
        if path == .postmaster { error(AddressParseError.badDomain.reply, verb: "MAIL", &actions); return }
        var declaredSize: Int?
        var smtputf8 = false
        for p in paramText.split(separator: " ") {
            let kv = p.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = kv[0].uppercased()
            let value = kv.count > 1 ? String(kv[1]) : nil
            guard esmtp else { error(SMTPReply(555, "5.5.4", "Parameters need EHLO"), verb: "MAIL", &actions); return }
            switch key {
            case "SIZE":
                guard let v = value, v.count <= 20, v.allSatisfy(\.isASCIIDigit), let n = Int(v) else {
                    error(SMTPReply(501, "5.5.4", "Bad SIZE parameter"), verb: "MAIL", &actions); return
                }
                declaredSize = n
            case "BODY":
                guard let v = value?.uppercased(), v == "7BIT" || v == "8BITMIME" else {
                    error(SMTPReply(555, "5.5.4", "Unsupported BODY type"), verb: "MAIL", &actions); return
                }
            case "SMTPUTF8":
                guard value == nil else { error(SMTPReply(501, "5.5.4", "SMTPUTF8 takes no value"), verb: "MAIL", &actions); return }
                smtputf8 = true
            default:
                error(SMTPReply(555, "5.5.4", "Unsupported parameter \(key.prefix(32))"), verb: "MAIL", &actions); return
            }
        }
        if !smtputf8, case .mailbox(let m) = path, m.description.unicodeScalars.contains(where: { $0.value >= 0x80 }) {
            error(AddressParseError.nonASCIIWithoutSMTPUTF8.reply, verb: "MAIL", &actions); return
        }
        if let s = declaredSize, s > settings.maxMessageSize {
            actions.append(.rejected(rule: "size", reason: "declared size \(s) over \(settings.maxMessageSize)", sender: nil, recipient: nil))
            reply(.tooBig, verb: "MAIL", &actions)
            return
        }
        let senderText: String
        switch path {
        case .null: senderText = ""
        case .mailbox(let m): senderText = m.description
        case .postmaster: senderText = "postmaster"
        }
        transaction = Transaction(sender: path, senderText: senderText, declaredSize: declaredSize, smtputf8: smtputf8)
        reply(SMTPReply(250, "2.1.0", "Sender OK"), verb: "MAIL", &actions)
    }

    private mutating func rcpt(_ arg: Substring, _ actions: inout [SMTPAction]) {
        guard var tx = transaction else { error(SMTPReply(503, "5.5.1", "Need MAIL before RCPT"), verb: "RCPT", &actions); return }
        let parsed = SMTPAddressParser.parsePath(arg, utf8Allowed: tx.smtputf8)
        guard case .success(let (path, params)) = parsed else {
            if case .failure(let e) = parsed { error(e.reply, verb: "RCPT", &actions) }
            return
        }
        guard params.isEmpty else { error(SMTPReply(555, "5.5.4", "RCPT parameters not supported"), verb: "RCPT", &actions); return }
        let resolution: RecipientResolution
        let text: String
        switch path {
        case .null:
            error(AddressParseError.empty.reply, verb: "RCPT", &actions); return
        case .postmaster:
            resolution = directory.postmaster(); text = "postmaster"
        case .mailbox(let m):
            resolution = directory.resolve(m); text = m.description
        }
        switch resolution {
        case .notLocal:
            actions.append(.rejected(rule: "relay", reason: "relaying denied to \(text)", sender: tx.senderText, recipient: text))
            actions.append(.offence(.relayAttempt, evidence: transcript))
            error(.relayDenied, verb: "RCPT", &actions)
        case .unknownUser:
            actions.append(.rejected(rule: "unknown-recipient", reason: "no such user \(text)", sender: tx.senderText, recipient: text))
            actions.append(.offence(.unknownRecipient, evidence: transcript))
            error(.noSuchUser, verb: "RCPT", &actions)
        case .local(let owners):
            guard tx.recipients.count < settings.maxRecipients else {
                reply(.tooManyRecipients, verb: "RCPT", &actions); return
            }
            if let full = fullOwner(owners, size: tx.declaredSize) {
                actions.append(.rejected(rule: "quota", reason: "mailbox of \(full) is full", sender: tx.senderText, recipient: text))
                reply(.mailboxFull, verb: "RCPT", &actions); return
            }
            tx.recipients.append(text)
            for o in owners where !tx.owners.contains(o) { tx.owners.append(o) }
            transaction = tx
            reply(SMTPReply(250, "2.1.5", "Recipient OK"), verb: "RCPT", &actions)
        }
    }

    private func envelope(_ tx: Transaction) -> MessageEnvelope {
        let id = String(UInt64.random(in: 0...UInt64.max) & 0xFFFF_FFFF_FFFF, radix: 16, uppercase: true)
        let proto: String
        switch (tx.smtputf8, esmtp, tls != nil) {
        case (true, _, true): proto = "UTF8SMTPS"
        case (true, _, false): proto = "UTF8SMTP"
        case (false, true, true): proto = "ESMTPS"
        case (false, true, false): proto = "ESMTP"
        case (false, false, _): proto = "SMTP"
        }
        // RFC 5321 §4.4: Time-stamp line; RFC 3848 protocol names; TLS details in a comment.
        var received = "Received: from \(heloName ?? "unknown") ([\(remoteAddress)])\r\n\tby \(settings.hostname) (Facteur) with \(proto)"
        if let tls { received += "\r\n\t(\(tls.version)\(tls.cipher.isEmpty ? "" : " cipher \(tls.cipher)"))" }
        received += "\r\n\tid \(id)"
        if tx.recipients.count == 1 { received += "\r\n\tfor <\(tx.recipients[0])>" }
        received += ";\r\n\t\(RFC5322Date.format(now))\r\n"
        let trace = "Return-Path: <\(tx.senderText)>\r\n" + received
        return MessageEnvelope(id: id, sender: tx.senderText, owners: tx.owners, recipients: tx.recipients,
                               traceHeaders: Array(trace.utf8))
    }

    private mutating func data(_ actions: inout [SMTPAction]) {
        guard let tx = transaction else { error(SMTPReply(503, "5.5.1", "Need MAIL before DATA"), verb: "DATA", &actions); return }
        guard !tx.recipients.isEmpty else { error(SMTPReply(554, "5.5.1", "No valid recipients"), verb: "DATA", &actions); return }
        reply(SMTPReply(354, nil, "Start mail input; end with <CRLF>.<CRLF>"), verb: "DATA", &actions)
        actions.append(.openMessage(envelope(tx)))
        phase = .data(SMTPDataDecoder(maxSize: settings.maxMessageSize))
    }

    private mutating func finishData(_ decoder: SMTPDataDecoder, _ actions: inout [SMTPAction]) {
        let sender = transaction?.senderText
        var refusal: (SMTPReply, String)?
        if decoder.overSize {
            refusal = (.tooBig, "size")
        } else if decoder.smuggling {
            remember("<DATA with a '.' line next to a bare LF>")
            actions.append(.offence(.smuggling, evidence: transcript))
            refusal = (SMTPReply(550, "5.5.2", "Message refused: bare LF next to a '.' line (SMTP smuggling)"), "smuggling")
        } else if decoder.longLine {
            refusal = (SMTPReply(550, "5.6.0", "Message refused: line longer than 998 octets"), "long-line")
        } else if let owners = transaction?.owners, let full = fullOwner(owners, size: decoder.size) {
            refusal = (.mailboxFull, "quota")
            remember("<DATA of \(decoder.size) octets over the quota of \(full)>")
        }
        if let (r, rule) = refusal {
            actions.append(.discardMessage)
            actions.append(.rejected(rule: rule, reason: r.lines[0], sender: sender, recipient: transaction?.recipients.first))
            reply(r, verb: "DATA", &actions)
            transaction = nil
            phase = .command
            return
        }
        actions.append(.commitMessage)
        phase = .awaitingDelivery
    }

    private mutating func bdat(size: Int, last: Bool, _ actions: inout [SMTPAction]) {
        guard var tx = transaction, !tx.recipients.isEmpty else {
            // RFC 3030 §2: the chunk must still be read and discarded.
            let msg = transaction == nil ? "Need MAIL before BDAT" : "No valid recipients"
            errors += 1
            skipBytes(size, reply: SMTPReply(503, "5.5.1", msg), &actions)
            return
        }
        if !tx.bdatOpened {
            tx.bdatOpened = true
            actions.append(.openMessage(envelope(tx)))
        }
        if size > SMTPLimits.bdatChunk || tx.bdatSize + size > settings.maxMessageSize {
            tx.bdatFailed = .tooBig
        }
        transaction = tx
        phase = .bdat(remaining: size, last: last)
        if size == 0 { finishBDATChunk(last: last, &actions) }
    }

    /// Reads and drops `size` octets of a refused BDAT chunk, then replies.
    private mutating func skipBytes(_ size: Int, reply r: SMTPReply, _ actions: inout [SMTPAction]) {
        pendingSkipReply = r
        phase = .bdat(remaining: size, last: false)
        if size == 0 { finishBDATChunk(last: false, &actions) }
    }

    /// Set while a refused BDAT chunk is being skipped.
    var pendingSkipReply: SMTPReply?

    private mutating func bdatBytes(_ bytes: ArraySlice<UInt8>, _ actions: inout [SMTPAction]) {
        if pendingSkipReply != nil { return }
        guard var tx = transaction else { return }
        tx.bdatSize += bytes.count
        tx.bdatLines.scan(bytes)
        if tx.bdatFailed == nil && !bytes.isEmpty { actions.append(.writeMessage(Array(bytes))) }
        transaction = tx
    }

    private mutating func finishBDATChunk(last: Bool, _ actions: inout [SMTPAction]) {
        phase = .command
        if let r = pendingSkipReply {
            pendingSkipReply = nil
            reply(r, verb: "BDAT", &actions)
            return
        }
        guard let tx = transaction else { return }
        if let failure = tx.bdatFailed {
            actions.append(.discardMessage)
            actions.append(.rejected(rule: "size", reason: failure.lines[0], sender: tx.senderText, recipient: tx.recipients.first))
            reply(failure, verb: "BDAT", &actions)
            transaction = nil
            return
        }
        if last {
            if tx.bdatLines.longLine {
                actions.append(.discardMessage)
                reply(SMTPReply(550, "5.6.0", "Message refused: line longer than 998 octets"), verb: "BDAT", &actions)
                transaction = nil
                return
            }
            if let full = fullOwner(tx.owners, size: tx.bdatSize) {
                actions.append(.discardMessage)
                actions.append(.rejected(rule: "quota", reason: "mailbox of \(full) is full", sender: tx.senderText, recipient: tx.recipients.first))
                reply(.mailboxFull, verb: "BDAT", &actions)
                transaction = nil
                return
            }
            actions.append(.commitMessage)
            phase = .awaitingDelivery
        } else {
            reply(SMTPReply(250, "2.0.0", "\(tx.bdatSize) octets received"), verb: "BDAT", &actions)
        }
    }

    /// The first owner whose mailbox cannot take a message of `size` octets (nil: unknown size,
    /// only a full mailbox refuses), by the incoming-mail rule of `MailboxQuota`.
    func fullOwner(_ owners: [String], size: Int?) -> String? {
        owners.first { owner in
            guard let quota = quotas.quota(of: owner) else { return false }
            return quota.isFull || !quota.admitsDelivery(ofSize: Int64(size ?? 0))
        }
    }
}
