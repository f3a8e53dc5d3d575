import Foundation

/// `[greylist]`: defer the first message of an unknown (client /24 or /64, sender, recipient)
/// triplet (RFC 6647). Off by default; never applied to `[guard] never_ban` / allow networks.
public struct GreylistSettings: Sendable, Equatable {
    public var enabled = false
    /// A retry after this long passes.
    public var delay: TimeInterval = 300
    /// Triplets not seen for this long are forgotten.
    public var memory: TimeInterval = 35 * 86_400

    public init() {}

    static func read(_ s: TOMLReader.Section, into settings: inout GreylistSettings) {
        settings.enabled = s.bool("enabled") ?? settings.enabled
        settings.delay = s.duration("delay") ?? settings.delay
        settings.memory = s.duration("memory") ?? settings.memory
    }
}
