import FacteurDNS
import FacteurNet

/// Checks that a listener is bound and that Facteur answers on the LAN address the router
/// forwards to. The interpretation of a probe is a pure function, tested without sockets.
public enum ListenerChecks {
    static func itemID(_ listener: RouterListener, _ check: String) -> String {
        "listener.\(listener.service.rawValue)-\(listener.port).\(check)"
    }

    /// Whether something accepts connections on the listener's own address.
    public static func bound(_ listener: RouterListener, probe: ProbeResult?, timeout: Duration) -> ChecklistItem {
        let name = listener.service.displayName
        var item = ChecklistItem(id: itemID(listener, "bound"), status: .fail, required: true,
                                 title: "\(name) listener is bound (\(listener.localText))", detail: "")
        switch probe {
        case .connected?, .greeting?, .noGreeting?, .closedWithoutGreeting?:
            item.status = .pass
            item.detail = "Something accepts connections on \(listener.localText)."
        case .refused?:
            item.detail = "Nothing listens on \(listener.localText) (connection refused)."
            item.advice = "Start Facteur, and look in its log for \"address in use\" or permission errors on port \(listener.port)."
        case .timedOut?:
            item.status = .unknown
            item.detail = "No answer from \(listener.localText) within \(seconds(timeout))."
            item.advice = "A local firewall may drop connections to port \(listener.port)."
        case .failed(let why)?:
            item.detail = "Could not connect to \(listener.localText): \(why)."
            item.advice = "Check the listen address in the configuration: it must be an address of this machine."
        case nil:
            item.detail = "\(listener.host) is not a valid listen address."
            item.advice = "Use 0.0.0.0, :: or one of this machine's addresses."
        }
        return item
    }

    /// Whether a connection to `lanAddress:port` gets Facteur's greeting.
    public static func lan(_ listener: RouterListener, lanAddress: IPAddress?, probe: ProbeResult?, timeout: Duration) -> ChecklistItem {
        let name = listener.service.displayName
        var item = ChecklistItem(id: itemID(listener, "lan"), status: .fail, required: true,
                                 title: "\(name) answers on the LAN address", detail: "")
        guard let lanAddress, let probe else {
            if let bound = listener.bindAddress, bound.isLoopback {
                item.detail = "\(name) listens only on \(bound): the router cannot reach it."
                item.advice = "Listen on 0.0.0.0 (or this machine's LAN address) instead of \(bound)."
            } else {
                item.status = .unknown
                item.detail = "No LAN address found for this listener."
                item.advice = "Connect this machine to the office network, or set the listen address to its LAN address."
            }
            return item
        }
        let target = SocketAddressText(address: lanAddress, port: listener.port)
        switch GreetingMatch.evaluate(probe, expected: listener.expectedGreeting) {
        case .matches(let text):
            item.status = .pass
            item.detail = text.map { "\(target) answered \"\($0)\"." } ?? "\(target) accepted the connection (TLS port: greeting not read)."
        case .other(let line):
            item.detail = "\(target) answered \"\(line)\", which is not Facteur."
            item.advice = "Another program uses port \(listener.port) on \(lanAddress); stop it or move Facteur to another port."
        case .silent:
            item.detail = "\(target) accepted the connection but sent no greeting within \(seconds(timeout))."
            item.advice = "Check that Facteur, not another program, owns port \(listener.port)."
        case .closed:
            item.detail = "\(target) closed the connection without a greeting."
            item.advice = "Check Facteur's log: the guard may refuse connections from \(lanAddress)."
        case .refused:
            item.detail = "Connection to \(target) was refused."
            item.advice = "Facteur listens on another address: listen on 0.0.0.0 or on \(lanAddress)."
        case .timedOut:
            item.detail = "No answer from \(target) within \(seconds(timeout))."
            item.advice = "A local firewall (ufw, firewalld, nftables) probably drops port \(listener.port); allow it."
        case .failed(let why):
            item.detail = "Could not connect to \(target): \(why)."
        }
        return item
    }

    static func seconds(_ duration: Duration) -> String {
        let (whole, fraction) = duration.components
        let tenths = fraction / 100_000_000_000_000_000
        return tenths == 0 ? "\(whole) s" : "\(whole).\(tenths) s"
    }
}

/// A probe result compared with the greeting Facteur should send.
enum GreetingMatch: Equatable {
    /// Facteur answered; the greeting line, or nil when none was expected.
    case matches(String?)
    case other(String)
    case silent
    case closed
    case refused
    case timedOut
    case failed(String)

    static func evaluate(_ probe: ProbeResult, expected: String?) -> GreetingMatch {
        switch probe {
        case .greeting(let line):
            guard let expected else { return .matches(nil) }
            return line.hasPrefix(expected) ? .matches(line) : .other(line)
        case .connected: return expected == nil ? .matches(nil) : .silent
        case .noGreeting: return expected == nil ? .matches(nil) : .silent
        case .closedWithoutGreeting: return .closed
        case .refused: return .refused
        case .timedOut: return .timedOut
        case .failed(let why): return .failed(why)
        }
    }
}
