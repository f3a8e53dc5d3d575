import Testing
import FacteurDNS
@testable import FacteurRouter

struct DNSChecksTests {
    @Test(arguments: [
        (Result<[DNSMailExchange], DNSLookupError>.success([DNSMailExchange(preference: 10, exchange: "MAIL.example.com.")]), CheckStatus.pass),
        (.success([DNSMailExchange(preference: 10, exchange: "mx.provider.example")]), .fail),
        (.success([DNSMailExchange(preference: 0, exchange: ".")]), .fail),
        (.failure(.noData("example.com", .mx)), .fail),
        (.failure(.nameDoesNotExist("example.com")), .fail),
        (.failure(.timeout), .unknown),
        (.failure(.serverFailure(.serverFailure)), .unknown),
    ])
    func mx(result: Result<[DNSMailExchange], DNSLookupError>, expected: CheckStatus) {
        let item = DNSChecks.mx(domain: "example.com", hostname: "mail.example.com", result: result)
        #expect(item.status == expected)
        #expect(item.required)
        #expect(item.id == "dns.example.com.mx")
        if expected == .fail { #expect(item.advice?.contains("MX 10 mail.example.com") == true) }
    }

    @Test(arguments: [
        ("203.0.113.7", Result<[String], DNSLookupError>.success(["198.51.100.1", "203.0.113.7"]), CheckStatus.pass),
        ("203.0.113.7", .success(["198.51.100.1"]), .fail),
        ("203.0.113.7", .failure(.noData("mail.example.com", .a)), .fail),
        ("203.0.113.7", .failure(.nameDoesNotExist("mail.example.com")), .fail),
        ("203.0.113.7", .failure(.timeout), .unknown),
        ("2001:db8::7", .success(["2001:0db8:0:0::7"]), .pass),
        ("2001:db8::7", .success(["2001:db8::8"]), .fail),
    ])
    func hostAddress(publicAddress: String, result: Result<[String], DNSLookupError>, expected: CheckStatus) {
        let item = DNSChecks.hostAddress(hostname: "mail.example.com", publicAddress: ip(publicAddress), result: result)
        #expect(item.status == expected)
        #expect(item.required)
    }

    @Test func hostAddressAdviceNamesTheRecord() {
        let v4 = DNSChecks.hostAddress(hostname: "mail.example.com", publicAddress: ip("203.0.113.7"), result: .failure(.noData("", .a)))
        #expect(v4.advice == "At your DNS provider, add the record: mail.example.com. A 203.0.113.7.")
        let v6 = DNSChecks.hostAddress(hostname: "mail.example.com", publicAddress: ip("2001:db8::7"), result: .success(["2001:db8::8"]))
        #expect(v6.advice == "Change the record: mail.example.com. AAAA 2001:db8::7.")
    }

    @Test func hostAddressWithoutPublicAddressCannotCompare() {
        let item = DNSChecks.hostAddress(hostname: "mail.example.com", publicAddress: nil, result: .success(["203.0.113.7"]))
        #expect(item.status == .unknown)
        let missing = DNSChecks.hostAddress(hostname: "mail.example.com", publicAddress: nil, result: .failure(.noData("", .a)))
        #expect(missing.status == .fail)
    }

    @Test(arguments: [
        (Result<[String], DNSLookupError>?.some(.success(["mail.example.com."])), CheckStatus.pass),
        (.some(.success(["203-0-113-7.dsl.isp.example"])), .warn),
        (.some(.failure(.nameDoesNotExist("7.113.0.203.in-addr.arpa"))), .warn),
        (.some(.failure(.noData("7.113.0.203.in-addr.arpa", .ptr))), .warn),
        (.some(.failure(.timeout)), .unknown),
    ])
    func reverse(result: Result<[String], DNSLookupError>?, expected: CheckStatus) {
        let item = DNSChecks.reverse(hostname: "mail.example.com", publicAddress: ip("203.0.113.7"), result: result)
        #expect(item.status == expected)
        #expect(item.required == false)
        if expected == .warn { #expect(item.advice?.contains("access provider") == true) }
    }

    @Test func reverseWithoutPublicAddress() {
        #expect(DNSChecks.reverse(hostname: "mail.example.com", publicAddress: nil, result: nil).status == .unknown)
    }
}
