import Foundation

/// rspamd's HTTP protocol (https://rspamd.com/doc/developers/protocol.html): the message is
/// POSTed to /checkv2 with the envelope in request headers; the JSON answer names an action.
public enum RspamdProtocol {
    /// Longest answer read from rspamd.
    public static let maxResponseBytes = 1_048_576

    public struct Envelope: Sendable {
        public var client: String
        public var helo: String
        public var mailFrom: String
        public var recipients: [String]
        public var queueID: String
        public var hostname: String

        public init(client: String, helo: String, mailFrom: String, recipients: [String], queueID: String, hostname: String) {
            self.client = client; self.helo = helo; self.mailFrom = mailFrom; self.recipients = recipients
            self.queueID = queueID; self.hostname = hostname
        }
    }

    /// The whole HTTP/1.1 request. Header values are stripped of CR, LF and other controls.
    public static func request(message: [UInt8], envelope: Envelope) -> [UInt8] {
        func clean(_ value: String) -> String { String(value.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init)) }
        var head = "POST /checkv2 HTTP/1.1\r\nHost: rspamd\r\nConnection: close\r\n"
        head += "Content-Length: \(message.count)\r\n"
        head += "IP: \(clean(envelope.client))\r\nHelo: \(clean(envelope.helo))\r\nFrom: \(clean(envelope.mailFrom))\r\n"
        for rcpt in envelope.recipients { head += "Rcpt: \(clean(rcpt))\r\n" }
        head += "Queue-Id: \(clean(envelope.queueID))\r\nMTA-Name: \(clean(envelope.hostname))\r\n\r\n"
        return Array(head.utf8) + message
    }

    public struct Verdict: Sendable, Hashable {
        public enum Action: String, Sendable, Hashable {
            case noAction = "no action"
            case greylist
            case addHeader = "add header"
            case rewriteSubject = "rewrite subject"
            case softReject = "soft reject"
            case reject
        }
        public var action: Action
        public var score: Double
        public var requiredScore: Double
    }

    public struct ProtocolError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Parses an HTTP response (status line, headers, body up to Content-Length or the end).
    public static func parse(response: [UInt8]) -> Result<Verdict, ProtocolError> {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let split = (0...max(0, response.count - 4)).first(where: { response.count >= 4 && Array(response[$0..<$0 + 4]) == separator }) else {
            return .failure(ProtocolError(description: "incomplete HTTP response"))
        }
        let head = String(decoding: response[..<split], as: UTF8.self)
        let status = head.split(separator: "\r\n").first.map(String.init) ?? ""
        let parts = status.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1] == "200" else {
            return .failure(ProtocolError(description: "rspamd answered \(status)"))
        }
        var body = response[(split + 4)...]
        if let line = head.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") }),
           let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)), length <= body.count {
            body = body.prefix(length)
        }
        struct Answer: Decodable {
            var action: String
            var score: Double?
            var required_score: Double?
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(body)) else {
            return .failure(ProtocolError(description: "rspamd's answer is not the expected JSON"))
        }
        guard let action = Verdict.Action(rawValue: answer.action) else {
            return .failure(ProtocolError(description: "unknown rspamd action \(answer.action)"))
        }
        return .success(Verdict(action: action, score: answer.score ?? 0, requiredScore: answer.required_score ?? 0))
    }
}
