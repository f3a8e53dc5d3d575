import FacteurCore
import NIOCore

/// A protocol handler whose connection is run by a `ConnectionLifecycle`: what every handler
/// reads through it (the connection's description, whether it is closing, its byte counts) is
/// written once, here.
protocol LifecycleHandler: AnyObject {
    var life: ConnectionLifecycle { get }
}

extension LifecycleHandler {
    var info: ConnectionInfo {
        get { life.info }
        set { life.info = newValue }
    }

    /// The last line is written or the channel is gone: no more input is handled.
    var closing: Bool {
        get { life.closing }
        set { life.closing = newValue }
    }

    var bytesIn: UInt64 { life.bytesIn }
    var bytesOut: UInt64 { life.bytesOut }
}
