import Foundation

/// The SASL PLAIN mechanism (RFC 4616 §2): `[authzid] NUL authcid NUL passwd`, base64-encoded in
/// POP3 (RFC 5034 §4).
public struct SASLPlain: Sendable, Equatable {
    public var authorizationID: String
    public var user: String
    public var password: [UInt8]

    public init(authorizationID: String = "", user: String, password: [UInt8]) {
        self.authorizationID = authorizationID; self.user = user; self.password = password
    }

    public enum DecodeError: Error, Sendable, Equatable {
        /// Not valid base64 (RFC 5034 §4: the server MUST reject with -ERR).
        case invalidBase64
        /// Not two NUL separators, an empty user or password, or a field not UTF-8 (RFC 4616 §2).
        case malformed
        /// A field longer than the limits allow.
        case tooLong
    }

    /// Decodes a client response. "=" stands for an empty response (RFC 5034 §4), which is malformed for PLAIN.
    public static func decode(base64 text: [UInt8], limits: POP3Limits = .standard) -> Result<SASLPlain, DecodeError> {
        guard let string = String(validating: text, as: UTF8.self),
              let data = Data(base64Encoded: string) else { return .failure(.invalidBase64) }
        let bytes = [UInt8](data)
        let fields = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3 else { return .failure(.malformed) }
        let authzid = Array(fields[0]), authcid = Array(fields[1]), password = Array(fields[2])
        guard !authcid.isEmpty, !password.isEmpty, !password.contains(0) else { return .failure(.malformed) }
        guard authcid.count <= limits.userLength, authzid.count <= limits.userLength,
              password.count <= limits.passwordLength else { return .failure(.tooLong) }
        guard let user = String(validating: authcid, as: UTF8.self),
              let authz = String(validating: authzid, as: UTF8.self) else { return .failure(.malformed) }
        return .success(SASLPlain(authorizationID: authz, user: user, password: password))
    }

    /// Encodes for a client: base64 of `NUL user NUL password` (no authorisation identity).
    public func encodedResponse() -> [UInt8] {
        var raw = Array(authorizationID.utf8)
        raw.append(0); raw.append(contentsOf: user.utf8); raw.append(0); raw.append(contentsOf: password)
        return Array(Data(raw).base64EncodedString().utf8)
    }
}
