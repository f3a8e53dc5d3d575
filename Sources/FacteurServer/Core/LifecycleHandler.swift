import FacteurCore
import NIOCore

/// A protocol handler whose connection is run by a `ConnectionLifecycle`: how every handler
/// starts (admitted and registered once, whether the channel was active when it was added — after
/// a PROXY header — or becomes active) and what it reads through the lifecycle (the connection's
/// description, whether it is closing, its byte counts) is written once, here.
protocol LifecycleHandler: ChannelInboundHandler {
    var life: ConnectionLifecycle { get }
    /// The connection is open and admitted: greet the client.
    func start(_ context: ChannelHandlerContext)
}

extension LifecycleHandler {
    /// Added to an already active channel (after a PROXY header was read): start now.
    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { begin(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        begin(context)
        context.fireChannelActive()
    }

    /// Listeners refuse when they accept (`ConnectRefusal`); handlers built without one, here.
    private func begin(_ context: ChannelHandlerContext) {
        guard life.open(context) else { return }
        start(context)
    }

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
