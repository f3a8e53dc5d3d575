/// Which inbound ports access providers commonly block, and what can be done about it.
public enum ISPPortPolicy {
    /// Ports residential and some business lines block inbound to stop spam bots.
    public static let oftenBlocked: Set<UInt16> = [25]
    /// Ports a few providers block; an alternate public port works for these.
    public static let sometimesBlocked: Set<UInt16> = [110, 143]

    /// What to say about `service` reached from outside on `publicPort`; nil when nothing.
    public static func note(for service: MailService, publicPort: UInt16) -> (detail: String, advice: String)? {
        if service == .smtp {
            guard oftenBlocked.contains(publicPort) else { return nil }
            return ("Many access providers block inbound port 25.",
                    "There is no alternative port for SMTP: other mail servers only deliver to port 25. If mail from "
                    + "outside never arrives, ask your provider to open inbound port 25 (business lines usually can).")
        }
        guard oftenBlocked.contains(publicPort) || sometimesBlocked.contains(publicPort) else { return nil }
        let example = 20_000 + Int(service.standardPort)
        return ("Some access providers block inbound port \(publicPort).",
                "If it is blocked, forward another public port instead (e.g. public \(example) → local \(service.standardPort)) "
                + "and set the mail clients to port \(example).")
    }
}
