import Foundation

/// A small form in an overlay: a few text fields, some hidden (passwords).
public struct Form: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable {
        case addBan
        case extendBan(network: String)
        case addUser
        case setPassword(user: String)
    }

    public struct Field: Sendable, Equatable {
        public var label: String
        public var value: String
        public var hidden: Bool
        public init(_ label: String, _ value: String = "", hidden: Bool = false) {
            self.label = label; self.value = value; self.hidden = hidden
        }
    }

    public var purpose: Purpose
    public var title: String
    public var fields: [Field]
    public var focus = 0
    public var error: String?

    public static func addBan(address: String = "", duration: String = "1d", reason: String = "") -> Form {
        Form(purpose: .addBan, title: "Add a ban",
             fields: [.init("Address or network", address), .init("Duration (30m, 2h, 7d, permanent)", duration),
                      .init("Reason", reason)],
             focus: address.isEmpty ? 0 : 1)
    }

    public static func extendBan(network: String) -> Form {
        Form(purpose: .extendBan(network: network), title: "Extend the ban on \(network)",
             fields: [.init("Extend by (30m, 2h, 7d)", "1d")])
    }

    public static func addUser() -> Form {
        Form(purpose: .addUser, title: "Add a user",
             fields: [.init("Address"), .init("Password", hidden: true), .init("Password again", hidden: true)])
    }

    public static func setPassword(user: String) -> Form {
        Form(purpose: .setPassword(user: user), title: "New password for \(user)",
             fields: [.init("Password", hidden: true), .init("Password again", hidden: true)])
    }

    /// Checks the answers; returns the question to confirm and the command, or sets `error`.
    public mutating func submit() -> Confirmation? {
        func value(_ i: Int) -> String { fields[i].value.trimmingCharacters(in: .whitespaces) }
        switch purpose {
        case .addBan:
            let address = value(0)
            guard Self.looksLikeNetwork(address) else { error = "Not an IP address or network: \(address)"; return nil }
            guard let typed = Formatting.parseDuration(value(1)) else { error = "Duration not understood: \(value(1))"; return nil }
            let duration = typed.seconds
            let reason = value(2).isEmpty ? "banned from the console" : value(2)
            let how = duration.map { "for " + Formatting.duration($0) } ?? "permanently"
            return Confirmation(question: "Ban \(address) \(how) (\(reason))?",
                                onYes: .command(.ban(network: address, duration: duration, reason: reason)))
        case let .extendBan(network):
            guard let by = Formatting.parseDuration(value(0))?.seconds else { error = "Give a duration such as 2h or 7d"; return nil }
            return Confirmation(question: "Extend the ban on \(network) by \(Formatting.duration(by))?",
                                onYes: .command(.extendBan(network: network, by: by)))
        case .addUser:
            let address = value(0)
            guard Self.looksLikeAddress(address) else { error = "Not a mail address: \(address)"; return nil }
            guard !fields[1].value.isEmpty else { error = "The password is empty"; return nil }
            guard fields[1].value == fields[2].value else { error = "The two passwords differ"; clearPasswords(); return nil }
            return Confirmation(question: "Add the user \(address)?",
                                onYes: .command(.addUser(address: address, password: fields[1].value)))
        case let .setPassword(user):
            guard !fields[0].value.isEmpty else { error = "The password is empty"; return nil }
            guard fields[0].value == fields[1].value else { error = "The two passwords differ"; clearPasswords(); return nil }
            return Confirmation(question: "Change the password of \(user)?",
                                onYes: .command(.setPassword(user: user, password: fields[0].value)))
        }
    }

    private mutating func clearPasswords() {
        for i in fields.indices where fields[i].hidden { fields[i].value = "" }
        focus = fields.firstIndex(where: \.hidden) ?? 0
    }

    static func looksLikeNetwork(_ s: String) -> Bool {
        guard !s.isEmpty, s.count <= 50 else { return false }
        let allowed = Set("0123456789abcdefABCDEF.:/")
        guard s.allSatisfy({ allowed.contains($0) }) else { return false }
        return s.contains(".") || s.contains(":")
    }

    static func looksLikeAddress(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !s.contains(" ") && s.count <= 254
    }
}

/// A yes/no question before anything changes.
public struct Confirmation: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case command(BackendCommand)
        case quit
    }
    public var question: String
    public var onYes: Outcome
    public init(question: String, onYes: Outcome) { self.question = question; self.onYes = onYes }
}
