/// What a piece of text is, for colouring; a theme maps each role to colours and attributes.
public enum Role: String, Sendable, CaseIterable, Hashable {
    case normal
    case title
    case tab
    case tabActive = "tab-active"
    case header
    case selected
    case ok
    case warning
    case danger
    case dim
    case accent
    case status
    case statusOK = "status-ok"
    case statusError = "status-error"
    case overlay
    case overlayTitle = "overlay-title"
    case input
    case chart
}
