import Foundation

/// One rendered line; the console colours by `kind`, the CLI prints `text`.
public struct ChecklistLine: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case heading
        case info
        case rule
        case item(CheckStatus)
        case advice
        case summary(passed: Bool)
        case blank
    }

    public var kind: Kind
    public var text: String

    public init(kind: Kind, text: String) {
        self.kind = kind
        self.text = text
    }
}

/// Turns a `Checklist` into lines of text for `facteur check` and the console's router panel.
public enum ChecklistTextRenderer {
    public static func lines(for checklist: Checklist, ascii: Bool = false) -> [ChecklistLine] {
        var lines: [ChecklistLine] = [ChecklistLine(kind: .heading, text: "Router and DNS checklist for \(checklist.hostname)"), .blank]

        lines.append(ChecklistLine(kind: .heading, text: "This machine"))
        if checklist.interfaces.isEmpty { lines.append(ChecklistLine(kind: .info, text: "  No LAN address found.")) }
        let width = checklist.interfaces.map(\.interface.count).max() ?? 0
        for address in checklist.interfaces {
            let note = address.address.isLinkLocal ? " (link-local)" : ""
            lines.append(ChecklistLine(kind: .info, text: "  \(pad(address.interface, width))  \(address.cidrText)\(note)"))
        }
        let gateways = checklist.gateways.map { "\($0.address) (\($0.interface))" }.joined(separator: ", ")
        lines.append(ChecklistLine(kind: .info, text: "  Default gateway: \(gateways.isEmpty ? "none" : gateways)"))
        let source = checklist.publicAddressSource == .discovered ? "discovered" : "configured"
        lines.append(ChecklistLine(kind: .info, text: "  Public address: \(checklist.publicAddress.map { "\($0) (\(source))" } ?? "unknown")"))
        lines.append(.blank)

        lines.append(ChecklistLine(kind: .heading, text: "Enter on the router (port forwarding):"))
        if checklist.rules.isEmpty { lines.append(ChecklistLine(kind: .info, text: "  No rule: no enabled listener has a LAN address.")) }
        let ruleWidth = checklist.rules.map { $0.text(ascii: ascii).count }.max() ?? 0
        for rule in checklist.rules {
            lines.append(ChecklistLine(kind: .rule, text: "  \(pad(rule.text(ascii: ascii), ruleWidth))  (\(rule.service.displayName))"))
        }

        for section in checklist.sections where !section.items.isEmpty {
            lines.append(.blank)
            lines.append(ChecklistLine(kind: .heading, text: section.title))
            for item in section.items {
                let mark = item.required ? "" : " (optional)"
                lines.append(ChecklistLine(kind: .item(item.status),
                                           text: "  \(item.status.symbol(ascii: ascii)) \(item.title)\(mark): \(item.detail)"))
                if let advice = item.advice, item.status != .pass {
                    lines.append(ChecklistLine(kind: .advice, text: "      \(ascii ? "->" : "→") \(advice)"))
                }
            }
        }

        lines.append(.blank)
        let counts = "\(checklist.count(.pass)) passed, \(checklist.count(.fail)) failed, "
            + "\(checklist.count(.warn)) warning\(checklist.count(.warn) == 1 ? "" : "s"), \(checklist.count(.unknown)) unknown"
        let verdict = checklist.requiredPassed ? "all required checks passed" : "some required checks did not pass"
        lines.append(ChecklistLine(kind: .summary(passed: checklist.requiredPassed), text: "\(counts): \(verdict)."))
        return ascii ? lines.map { ChecklistLine(kind: $0.kind, text: asciiOnly($0.text)) } : lines
    }

    /// Replaces the non-ASCII characters the checklist's own texts use.
    static func asciiOnly(_ text: String) -> String {
        text.replacingOccurrences(of: "→", with: "->").replacingOccurrences(of: "…", with: "...")
    }

    /// The whole text, one line per `ChecklistLine`, ending with a newline.
    public static func text(for checklist: Checklist, ascii: Bool = false) -> String {
        lines(for: checklist, ascii: ascii).map(\.text).joined(separator: "\n") + "\n"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

extension ChecklistLine {
    public static let blank = ChecklistLine(kind: .blank, text: "")
}
