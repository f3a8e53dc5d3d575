/// Decides whether a wire mailbox name may be created or opened, and maps it to a Maildir++
/// folder name that can never leave the user's Maildir.
///
/// Decision on ".": the wire separator is "/", but Maildir++ stores `a/b` as the folder
/// `.a.b`, so a "." inside a component would silently create hierarchy on disk. Refusing it
/// would break ordinary names ("Projects 2.0", "J. Smith"), so we escape it instead: on disk a
/// "." inside a component becomes "&AC4-", the modified UTF-7 form of U+002E. That spelling
/// is non-canonical on the wire (the validator requires canonical modified UTF-7, where "." is
/// always literal), so no wire name can produce the escape by any other route, and the
/// mapping is reversible. "/" cannot occur in a component (it is the separator); components
/// "." and ".." and empty components are refused; NUL and control characters are refused.
public enum MailboxNameValidator {
    public enum Failure: Error, Sendable, Equatable {
        case empty
        case tooLong
        case tooDeep
        case invalidEncoding
        case emptyComponent
        case dotComponent
        case controlCharacter
        case wildcard

        /// Human reason for the `NO` reply.
        public var reason: String {
            switch self {
            case .empty: return "Mailbox name is empty"
            case .tooLong: return "Mailbox name is too long"
            case .tooDeep: return "Mailbox hierarchy is too deep"
            case .invalidEncoding: return "Mailbox name is not valid modified UTF-7"
            case .emptyComponent: return "Mailbox name has an empty hierarchy level"
            case .dotComponent: return "Mailbox name may not have '.' or '..' levels"
            case .controlCharacter: return "Mailbox name contains a control character"
            case .wildcard: return "Mailbox name may not contain '%' or '*'"
            }
        }
    }

    /// Validates `name` and returns its decoded (Unicode) components.
    public static func validate(_ name: IMAPMailboxName) -> Result<[String], Failure> {
        let wire = name.wire
        guard !wire.isEmpty else { return .failure(.empty) }
        guard wire.utf8.count <= IMAPLimits.maxMailboxNameLength else { return .failure(.tooLong) }
        guard let decoded = ModifiedUTF7.decode(wire) else { return .failure(.invalidEncoding) }
        if decoded.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            return .failure(.controlCharacter)
        }
        if decoded.contains("%") || decoded.contains("*") { return .failure(.wildcard) }
        let components = decoded.split(separator: IMAPMailboxName.separator, omittingEmptySubsequences: false).map(String.init)
        guard components.count <= IMAPLimits.maxMailboxDepth else { return .failure(.tooDeep) }
        for component in components {
            if component.isEmpty { return .failure(.emptyComponent) }
            if component == "." || component == ".." { return .failure(.dotComponent) }
        }
        return .success(components)
    }

    /// The Maildir++ folder for a valid name: `""` for INBOX (the Maildir root), otherwise
    /// "." followed by the wire components joined with ".", each "." escaped as "&AC4-".
    public static func maildirFolder(for name: IMAPMailboxName) -> Result<String, Failure> {
        if name.isInbox { return .success("") }
        switch validate(name) {
        case .failure(let failure): return .failure(failure)
        case .success:
            let wireComponents = name.wire.split(separator: "/", omittingEmptySubsequences: false)
            let escaped = wireComponents.map { $0.replacingOccurrences(of: ".", with: "&AC4-") }
            return .success("." + escaped.joined(separator: "."))
        }
    }

    /// The inverse of `maildirFolder(for:)`; nil for a folder name we would not have written.
    public static func mailboxName(forMaildirFolder folder: String) -> IMAPMailboxName? {
        if folder.isEmpty { return .inbox }
        guard folder.hasPrefix("."), folder.count > 1 else { return nil }
        let components = folder.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        let wire = components.map { $0.replacingOccurrences(of: "&AC4-", with: ".") }.joined(separator: "/")
        let name = IMAPMailboxName(wire: wire)
        guard case .success = validate(name) else { return nil }
        return name
    }
}

private extension Substring {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        String(self).replacing(target, with: replacement)
    }
}
