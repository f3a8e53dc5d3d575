/// The rule behind a ban or a refusal. Raw values are the machine names shown in logs, in the
/// console and stored with bans (they follow `FacteurCore.Rejection.rule`).
public enum GuardRule: String, Sendable, Codable, CaseIterable, Hashable {
    // Offences that lead to automatic bans.
    case relayAttempt = "relay"
    case unknownRecipients = "unknown-recipient"
    case badCommands = "bad-command"
    case prematureTalk = "premature-talk"
    case overlongLines = "overlong-line"
    case smuggling = "smuggling"
    case authFailures = "auth"
    case connectionRate = "connection-rate"
    /// A ban an administrator made by hand.
    case manual = "manual"
    // Refusals that are not bans.
    case denyList = "deny-list"
    case country = "country"
    case perAddressConnections = "per-address-connections"
    case totalConnections = "total-connections"
}
