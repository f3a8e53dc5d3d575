import FacteurNet

/// Errors of the manual commands.
public enum GuardError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The network lies inside a never-ban network.
    case protectedNetwork(IPNetwork)
    /// No ban exists for exactly this network.
    case noSuchBan(IPNetwork)

    public var description: String {
        switch self {
        case let .protectedNetwork(network): "\(network) is in the never-ban list"
        case let .noSuchBan(network): "no ban for \(network)"
        }
    }
}
