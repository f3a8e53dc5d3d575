import FacteurGuard
import FacteurStore
import FacteurNet
import Foundation

/// Address → country for a console, from the GeoIP database of the configuration (read by the
/// console's own process: lookups are in memory and cost the server nothing).
public struct CountryLookup: Sendable {
    private let db: MaxMindDB?

    public init(config: Config) {
        db = config.guardSettings.geoipDB.flatMap { try? MaxMindDB(contentsOf: URL(fileURLWithPath: $0)) }
    }

    public func country(of address: String) -> String? {
        guard let db, let a = IPAddress(address) else { return nil }
        return db.country(for: a)
    }
}
