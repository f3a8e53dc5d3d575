import FacteurNet

/// Reads the nameserver list from resolv.conf text (resolv.conf(5): `nameserver <address>`,
/// comments start with `#` or `;`). Only literal addresses are kept.
public enum ResolvConf {
    public static let defaultPath = "/etc/resolv.conf"
    /// resolv.conf(5) uses at most three nameservers; more lines are ignored.
    public static let maxNameservers = 3
    /// Bytes of the file that are read; a real resolv.conf is tiny.
    public static let maxFileBytes = 64 * 1024

    public static func nameservers(in text: String) -> [SocketAddressText] {
        var found: [SocketAddressText] = []
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let fields = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { continue }
            // A zone suffix (`fe80::1%eth0`) is dropped: the address alone names the server.
            let value = String(fields[1].prefix { $0 != "%" })
            if value.hasPrefix("#") || value.hasPrefix(";") { continue }
            if let address = IPAddress(value) {
                found.append(SocketAddressText(address: address, port: 53))
                if found.count == maxNameservers { break }
            }
        }
        return found
    }
}
