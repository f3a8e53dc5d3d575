/// The services the guard protects. Raw values match `FacteurCore.ServiceKind`.
public enum GuardService: String, Sendable, Codable, CodingKeyRepresentable, CaseIterable, Hashable {
    case smtp, imap, pop3
}
