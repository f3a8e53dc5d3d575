import FacteurNet
import FacteurDNS
import Foundation

/// Greylisting (RFC 6647): the first message of an unknown (client network, sender, recipient)
/// triplet is deferred with a 4xx; a real MTA retries after the delay and is let through, and the
/// triplet is remembered. Pure: the store and the clock are the caller's.
public struct Greylist: Sendable, Hashable {
    /// How long a new triplet must wait before a retry passes (RFC 6647 §4.2 suggests minutes).
    public var delay: TimeInterval = 300
    /// How long a triplet is remembered after it was last seen (35 days covers monthly mail).
    public var memory: TimeInterval = 35 * 86_400

    public init(delay: TimeInterval = 300, memory: TimeInterval = 35 * 86_400) {
        self.delay = delay
        self.memory = memory
    }

    /// One triplet: the client's /24 (IPv4) or /64 (IPv6), the sender and the recipient, lowercased.
    public struct Triplet: Sendable, Hashable {
        public var network: String
        public var sender: String
        public var recipient: String

        public init(client: IPAddress, sender: String, recipient: String) {
            // FacteurNet's IPAddress reads ::ffff:a.b.c.d as the IPv4 address it carries.
            let address = client
            var octets = address.bytes
            let keep = address.isIPv4 ? 3 : 8
            for i in keep..<octets.count { octets[i] = 0 }
            let base = IPAddress(bytes: octets) ?? address
            network = "\(base)/\(address.isIPv4 ? 24 : 64)"
            self.sender = sender.lowercased()
            self.recipient = recipient.lowercased()
        }

        public init(network: String, sender: String, recipient: String) {
            self.network = network; self.sender = sender; self.recipient = recipient
        }
    }

    /// What is known of a triplet.
    public struct Entry: Sendable, Hashable {
        public var firstSeen: Date
        public var lastSeen: Date
        /// A retry came after the delay: the triplet is let through until it is forgotten.
        public var passed: Bool

        public init(firstSeen: Date, lastSeen: Date, passed: Bool) {
            self.firstSeen = firstSeen; self.lastSeen = lastSeen; self.passed = passed
        }
    }

    public enum Decision: Sendable, Hashable {
        case pass
        /// Deferred; the earliest retry that passes is `retryAfter` seconds away.
        case deferred(retryAfter: TimeInterval)
    }

    /// The decision for a triplet known as `entry` (nil: never seen), and the entry to store.
    public func decide(_ entry: Entry?, now: Date) -> (Decision, Entry) {
        guard let entry, now.timeIntervalSince(entry.lastSeen) <= memory else {
            return (.deferred(retryAfter: delay), Entry(firstSeen: now, lastSeen: now, passed: false))
        }
        if entry.passed {
            return (.pass, Entry(firstSeen: entry.firstSeen, lastSeen: now, passed: true))
        }
        let waited = now.timeIntervalSince(entry.firstSeen)
        if waited >= delay {
            return (.pass, Entry(firstSeen: entry.firstSeen, lastSeen: now, passed: true))
        }
        // An early retry does not restart the clock (the first attempt still counts).
        return (.deferred(retryAfter: delay - waited), Entry(firstSeen: entry.firstSeen, lastSeen: now, passed: false))
    }
}
