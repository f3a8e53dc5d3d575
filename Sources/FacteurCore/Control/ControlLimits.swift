/// Every bound of the control protocol, in one place (see docs/control-protocol.md).
public enum ControlLimits {
    /// Largest frame a client may send (commands are small; a password is at most a few hundred bytes).
    public static let clientFrameBytes = 256 * 1024
    /// Largest frame the server sends (a snapshot with tens of thousands of bans, a raw message of
    /// up to `messageBytes` in base64).
    public static let serverFrameBytes = 64 * 1024 * 1024
    /// Raw message bytes one `message` reply carries (larger messages are cut, and say so).
    public static let messageBytes = 8 * 1024 * 1024
    /// Events waiting for one console; beyond this the server drops them and re-snapshots.
    public static let consoleQueueEvents = 8_192
    /// Events gather this long before a batch goes out to every console (encoded once): a flood
    /// of events costs the server a few encodings a second, and each console a few frames.
    public static let batchMilliseconds = 100
    /// Events in one `events` frame.
    public static let eventsPerFrame = 1_024
    /// Requests one connection may have in progress at once.
    public static let requestsInFlight = 16
    /// Seconds a client has to send its hello after connecting.
    public static let helloTimeoutSeconds: Int64 = 10
    /// Concurrent control connections.
    public static let connections = 64
}
