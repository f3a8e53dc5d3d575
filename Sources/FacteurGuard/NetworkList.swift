import Foundation
import FacteurNet

/// Why an allow/deny list file was refused. `line` counts from 1.
public enum NetworkListError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidNetwork(line: Int, text: String)
    case lineTooLong(line: Int)
    case tooManyEntries(line: Int)

    public var description: String {
        switch self {
        case let .invalidNetwork(line, text): "line \(line): not an IP address or CIDR network: \(text)"
        case let .lineTooLong(line): "line \(line): longer than \(GuardLimits.maxListLineLength) characters"
        case let .tooManyEntries(line): "line \(line): more than \(GuardLimits.maxListEntries) entries"
        }
    }
}

/// Parses an allow/deny list file:
///
///     # office
///     203.0.113.0/24
///     2001:db8:1::/48   # branch
///     198.51.100.7
///
/// One IP address or CIDR network per line (LF or CRLF); `#` starts a comment (whole line or
/// after the entry); blank lines and surrounding spaces and tabs are ignored. A bad line fails
/// the whole file, so a typo never silently opens or closes the server; the error names its line.
public func parseNetworkList(text: String) throws(NetworkListError) -> [IPNetwork] {
    var networks: [IPNetwork] = []
    var lineNumber = 0
    for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
        lineNumber += 1
        guard rawLine.utf8.count <= GuardLimits.maxListLineLength else {
            throw .lineTooLong(line: lineNumber)
        }
        var content = rawLine
        if let hash = content.firstIndex(of: "#") { content = content[..<hash] }
        let entry = content.trimmingCharacters(in: .whitespacesAndNewlines)
        if entry.isEmpty { continue }
        guard let network = IPNetwork(entry) else {
            throw .invalidNetwork(line: lineNumber, text: String(entry.prefix(80)))
        }
        guard networks.count < GuardLimits.maxListEntries else {
            throw .tooManyEntries(line: lineNumber)
        }
        networks.append(network)
    }
    return networks
}
