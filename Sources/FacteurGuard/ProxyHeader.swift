import FacteurNet

/// One end of a proxied connection.
public typealias ProxyEndpoint = SocketAddressText

/// A parsed PROXY protocol header (haproxy proxy-protocol.txt, versions 1 and 2).
public struct ProxyHeader: Sendable, Equatable {
    public enum Command: Sendable, Equatable {
        /// Relayed connection: `source` is the real client.
        case proxy
        /// The proxy's own connection (health check): use the socket's addresses.
        case local
    }

    public enum Transport: Sendable, Equatable {
        case tcp, udp, unix, unspecified
    }

    /// 1 (text) or 2 (binary).
    public var version: Int
    public var command: Command
    public var transport: Transport
    /// The real client; nil for LOCAL, UNKNOWN, UNSPEC and UNIX headers, when the socket's own
    /// peer address stands.
    public var source: ProxyEndpoint?
    public var destination: ProxyEndpoint?
    /// Bytes the header takes at the start of the stream: consume them, the rest is protocol.
    public var length: Int

    public init(version: Int, command: Command, transport: Transport, source: ProxyEndpoint?,
                destination: ProxyEndpoint?, length: Int) {
        self.version = version
        self.command = command
        self.transport = transport
        self.source = source
        self.destination = destination
        self.length = length
    }
}

/// Why the start of a stream is not a valid PROXY header.
public enum ProxyHeaderError: Error, Sendable, Equatable {
    /// The bytes start with neither "PROXY " nor the version 2 signature.
    case notProxyProtocol
    /// A version 1 line without CRLF within 107 bytes, or a version 2 header over the limit.
    case tooLong
    /// A malformed version 1 line; the payload names the bad part.
    case invalidV1(String)
    /// A malformed version 2 header.
    case invalidV2(String)
}

/// The result of looking at the first bytes of a connection.
public enum ProxyHeaderResult: Sendable, Equatable {
    /// Not enough bytes yet: read more and call again with everything received so far.
    case incomplete
    case parsed(ProxyHeader)
    /// Close the connection.
    case invalid(ProxyHeaderError)
}
