import FacteurDNS
import FacteurNet

/// Runs every check against a `RouterEnvironment` and assembles the `Checklist`.
/// Probes run one after the other, so the worst case takes (2 × listeners + forwarded ports)
/// × `probeTimeout` plus the DNS lookups.
public enum RouterChecklistBuilder {
    public static func build(config: RouterCheckConfig, environment: any RouterEnvironment) async -> Checklist {
        let interfaces = environment.lanAddresses()
        let gateways = environment.defaultGateways()
        let timeout = config.probeTimeout
        let listeners = config.listeners.filter(\.enabled)

        var publicAddress = config.publicAddress.flatMap(IPAddress.init)
        var source: Checklist.PublicAddressSource? = publicAddress == nil ? nil : .configured
        if publicAddress == nil, config.discoverPublicAddress, let found = await environment.discoverPublicAddress() {
            publicAddress = found
            source = .discovered
        }

        // Network.
        var network: [ChecklistItem] = []
        let usable = interfaces.filter { !$0.address.isLinkLocal }
        network.append(ChecklistItem(
            id: "network.lan-address", status: usable.isEmpty ? .fail : .pass, required: true,
            title: "This machine has a LAN address",
            detail: usable.isEmpty ? "No address besides loopback and link-local was found."
                : usable.map { "\($0.cidrText) on \($0.interface)" }.joined(separator: ", ") + ".",
            advice: usable.isEmpty ? "Connect this machine to the office network (cable or Wi-Fi) and give it a fixed address." : nil))
        network.append(ChecklistItem(
            id: "network.gateway", status: gateways.isEmpty ? .warn : .pass, required: false,
            title: "A default gateway (the router) is known",
            detail: gateways.isEmpty ? "No default route found."
                : gateways.map { "\($0.address) via \($0.interface)" }.joined(separator: ", ") + ".",
            advice: gateways.isEmpty ? "Without a default route this machine cannot reach the internet; check its network settings." : nil))

        // Listeners and rules.
        var listenerItems: [ChecklistItem] = []
        var rules: [PortForwardRule] = []
        var ruleListeners: [RouterListener] = []
        for listener in listeners {
            let selfProbe: ProbeResult? = if let target = listener.selfTarget {
                await environment.probe(target, readGreeting: false, timeout: timeout)
            } else { nil }
            listenerItems.append(ListenerChecks.bound(listener, probe: selfProbe, timeout: timeout))
            let lanAddress = LANAddressChooser.choose(for: listener, among: interfaces, gateways: gateways)
            var lanProbe: ProbeResult?
            if let lanAddress {
                lanProbe = await environment.probe(SocketAddressText(address: lanAddress, port: listener.port),
                                                   readGreeting: listener.expectedGreeting != nil, timeout: timeout)
                let rule = PortForwardRule(service: listener.service, publicPort: config.publicPort(for: listener.service),
                                           lanAddress: lanAddress, localPort: listener.port)
                if !rules.contains(where: { $0.publicPort == rule.publicPort }) {
                    rules.append(rule)
                    ruleListeners.append(listener)
                }
            }
            listenerItems.append(ListenerChecks.lan(listener, lanAddress: lanAddress, probe: lanProbe, timeout: timeout))
        }

        // Router.
        var routerItems = [RouterChecks.publicAddress(publicAddress, source: source, discoveryEnabled: config.discoverPublicAddress)]
        for (rule, listener) in zip(rules, ruleListeners) {
            if let item = RouterChecks.smtpPort(rule) { routerItems.append(item) }
            var probe: ProbeResult?
            if let publicAddress {
                probe = await environment.probe(SocketAddressText(address: publicAddress, port: rule.publicPort),
                                                readGreeting: listener.expectedGreeting != nil, timeout: timeout)
            }
            routerItems.append(RouterChecks.publicReach(rule, listener: listener, publicAddress: publicAddress, probe: probe, timeout: timeout))
            if let item = RouterChecks.ispBlocking(rule) { routerItems.append(item) }
        }

        // DNS.
        let resolver = environment.resolver
        var dnsItems: [ChecklistItem] = []
        for domain in config.domains {
            let result: Result<[DNSMailExchange], DNSLookupError>
            do { result = .success(try await resolver.lookupMX(domain)) } catch { result = .failure(error) }
            dnsItems.append(DNSChecks.mx(domain: domain, hostname: config.hostname, result: result))
        }
        let addressResult: Result<[String], DNSLookupError>
        do {
            addressResult = .success(publicAddress?.isIPv4 == false
                ? try await resolver.lookupAAAA(config.hostname) : try await resolver.lookupA(config.hostname))
        } catch { addressResult = .failure(error) }
        dnsItems.append(DNSChecks.hostAddress(hostname: config.hostname, publicAddress: publicAddress, result: addressResult))
        var reverseResult: Result<[String], DNSLookupError>?
        if let publicAddress {
            do { reverseResult = .success(try await resolver.lookupPTR(publicAddress.description)) } catch { reverseResult = .failure(error) }
        }
        dnsItems.append(DNSChecks.reverse(hostname: config.hostname, publicAddress: publicAddress, result: reverseResult))

        return Checklist(
            hostname: config.hostname, interfaces: interfaces, gateways: gateways,
            publicAddress: publicAddress, publicAddressSource: source, rules: rules,
            sections: [
                ChecklistSection(id: "network", title: "This machine", items: network),
                ChecklistSection(id: "listeners", title: "Facteur listeners", items: listenerItems),
                ChecklistSection(id: "router", title: "Router", items: routerItems),
                ChecklistSection(id: "dns", title: "DNS", items: dnsItems),
            ])
    }
}
