/// What one run of one collect entry did; `facteur collect --once` prints it, the server logs it.
public struct CollectReport: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case completed
        /// Another run of the same entry holds its lock (cron while the server polls).
        case skipped(String)
        case failed(String)
    }

    public var entry: String
    public var outcome: Outcome = .completed
    /// Messages listed on the provider.
    public var listed = 0
    public var delivered = 0
    /// Messages of an interrupted run found already delivered (not fetched again).
    public var recovered = 0
    /// Deletions the provider confirmed.
    public var deleted = 0
    /// Messages that can never be collected (too large); left on the provider.
    public var rejected = 0
    /// Messages that could not be fetched this time; tried again at the next run.
    public var retryLater = 0

    public init(entry: String) { self.entry = entry }

    public var succeeded: Bool {
        switch outcome {
        case .completed, .skipped: true
        case .failed: false
        }
    }

    /// "isp: 3 delivered, 3 deleted from the provider, 1 left there" and the like.
    public var summary: String {
        switch outcome {
        case .skipped(let why): return "\(entry): skipped (\(why))"
        case .failed(let why):
            return "\(entry): failed after \(delivered) delivered: \(why)"
        case .completed:
            var parts = ["\(delivered) delivered", "\(deleted) deleted from the provider", "\(listed - deleted) left there"]
            if recovered > 0 { parts.append("\(recovered) recovered from an interrupted run") }
            if rejected > 0 { parts.append("\(rejected) too large, left on the provider") }
            if retryLater > 0 { parts.append("\(retryLater) to retry") }
            return "\(entry): " + parts.joined(separator: ", ")
        }
    }
}
