/// What `Guard.record` asks the caller to do.
///
/// Lifted bans come back as plain `[Ban]` from the commands that lift them; for
/// `ServerEvent.unbanned(network:why:)` the reason is "expired" for `expire(now:)`, "never-ban"
/// for `addNeverBan` and `apply(policy:)`, "manual" for `unban`.
public enum GuardAction: Sendable, Equatable {
    /// A new ban: persist it, log it, and close the open sessions inside `ban.network`.
    case banned(Ban)
}
