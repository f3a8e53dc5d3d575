import Foundation

/// The Public Suffix List (https://publicsuffix.org/list/), for the organisational domain of
/// DMARC (RFC 7489 §3.2). Debian's `publicsuffix` package installs it at `defaultPath`.
public struct PublicSuffixList: Sendable {
    public static let defaultPath = "/usr/share/publicsuffix/public_suffix_list.dat"

    var rules: Set<String> = []
    var wildcards: Set<String> = []
    var exceptions: Set<String> = []

    /// Parses the list's text: one rule per line, `//` comments, `*.` wildcards, `!` exceptions.
    public init(text: String) {
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            guard let rule = line.split(separator: " ", maxSplits: 1).first.map({ String($0).lowercased() }),
                  !rule.isEmpty, !rule.hasPrefix("//") else { continue }
            if rule.hasPrefix("!") {
                exceptions.insert(String(rule.dropFirst()))
            } else if rule.hasPrefix("*.") {
                wildcards.insert(String(rule.dropFirst(2)))
            } else {
                rules.insert(rule)
            }
        }
    }

    public init(contentsOf path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        self.init(text: String(decoding: data, as: UTF8.self))
    }

    /// The registrable (organisational) domain of `domain`: its public suffix plus one label
    /// (RFC 7489 §3.2). A domain that is itself a public suffix is its own organisational domain.
    public func organizationalDomain(_ domain: String) -> String {
        var name = domain.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        let labels = name.split(separator: ".").map(String.init)
        guard labels.count > 1 else { return name }
        // Length (in labels) of the longest matching public suffix; the implicit rule "*" gives 1.
        var suffixLength = 1
        for count in 1...labels.count {
            let candidate = labels.suffix(count).joined(separator: ".")
            if exceptions.contains(candidate) {
                suffixLength = count - 1
                break
            }
            if rules.contains(candidate) { suffixLength = max(suffixLength, count) }
            if count < labels.count, wildcards.contains(candidate) { suffixLength = max(suffixLength, count + 1) }
        }
        guard suffixLength < labels.count else { return name }
        return labels.suffix(suffixLength + 1).joined(separator: ".")
    }
}
