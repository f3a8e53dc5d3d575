import Foundation
import Testing
@testable import FacteurGuard
import FacteurNet
import FacteurTestSupport

/// A fixed instant all guard tests count from (2027-01-15T08:00:00Z).
let t0 = Date(timeIntervalSince1970: 1_800_000_000)

func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

let minute: TimeInterval = 60
let hour: TimeInterval = 3600
let day: TimeInterval = 86_400

/// The shared test data folder: $FACTEUR_TESTDATA, else /work/shared/testdata.
let testDataRoot = URL(fileURLWithPath: ProcessInfo.processInfo.environment["FACTEUR_TESTDATA"] ?? "/work/shared/testdata")

extension Array where Element == GuardAction {
    /// The bans among the actions.
    var bans: [Ban] {
        compactMap { action in
            if case let .banned(ban) = action { return ban }
            return nil
        }
    }
}

extension Admission {
    var refusal: Refusal? {
        if case let .refuse(refusal) = self { return refusal }
        return nil
    }
}
