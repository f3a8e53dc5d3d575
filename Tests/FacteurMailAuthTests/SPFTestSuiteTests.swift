import FacteurNet
import FacteurDNS
import Foundation
import Testing
@testable import FacteurMailAuth

/// The openspf.org RFC 7208 test suite (release 2014.04, from pyspf 2.0.14; licence beside it in
/// Fixtures/), converted once to JSON by Fixtures/convert_rfc7208.py, run as a table.
struct SPFTestSuiteTests {
    struct Scenario: Decodable {
        struct Case: Decodable {
            var id: String
            var spec: String
            var helo: String
            var host: String
            var mailfrom: String
            var result: [String]
            var explanation: String?
        }
        var description: String
        var tests: [Case]
        var zone: [String: [ZoneEntry]]
    }

    enum ZoneEntry: Decodable {
        case timeout
        case record(type: String, value: JSONValue)

        init(from decoder: Decoder) throws {
            let single = try decoder.singleValueContainer()
            if let text = try? single.decode(String.self), text == "TIMEOUT" { self = .timeout; return }
            struct Raw: Decodable { var type: String; var value: JSONValue }
            let raw = try single.decode(Raw.self)
            self = .record(type: raw.type, value: raw.value)
        }
    }

    enum JSONValue: Decodable {
        case string(String), number(Int), array([JSONValue])
        init(from decoder: Decoder) throws {
            let single = try decoder.singleValueContainer()
            if let s = try? single.decode(String.self) { self = .string(s) }
            else if let n = try? single.decode(Int.self) { self = .number(n) }
            else { self = .array(try single.decode([JSONValue].self)) }
        }
        var string: String { if case .string(let s) = self { s } else { "" } }
        var array: [JSONValue] { if case .array(let a) = self { a } else { [self] } }
    }

    static let scenarios: [Scenario] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/rfc7208-tests.json")
        guard let data = try? Data(contentsOf: url), let decoded = try? JSONDecoder().decode([Scenario].self, from: data) else { return [] }
        return decoded
    }()

    struct Named: CustomTestStringConvertible, Sendable {
        var scenario: Int
        var test: Int
        var testDescription: String { SPFTestSuiteTests.scenarios[scenario].tests[test].id }
    }

    static let cases: [Named] = scenarios.indices.flatMap { s in scenarios[s].tests.indices.map { Named(scenario: s, test: $0) } }

    static func resolver(_ zone: [String: [ZoneEntry]]) -> ZoneResolver {
        var records: [String: [ZoneResolver.Record]] = [:]
        for (name, entries) in zone {
            records[name] = entries.compactMap { entry -> ZoneResolver.Record? in
                switch entry {
                case .timeout: return .timeout
                case .record(let type, let value):
                    switch type {
                    case "A": return .a(value.string)
                    case "AAAA": return .aaaa(value.string)
                    case "PTR": return .ptr(value.string)
                    case "CNAME": return .cname(value.string)
                    case "TXT": return .txt(value.array.map(\.string))
                    case "MX":
                        let parts = value.array
                        guard parts.count == 2, case .number(let p) = parts[0] else { return nil }
                        return .mx(UInt16(p), parts[1].string)
                    default: return nil
                    }
                }
            }
        }
        return ZoneResolver(records)
    }

    @Test func suiteIsLoaded() {
        #expect(Self.scenarios.count == 16)
        #expect(Self.cases.count == 203)
    }

    @Test(arguments: cases)
    func rfc7208(_ named: Named) async throws {
        let scenario = Self.scenarios[named.scenario]
        let t = scenario.tests[named.test]
        let evaluator = SPFEvaluator(resolver: Self.resolver(scenario.zone), defaultExplanation: "DEFAULT")
        let client = try #require(IPAddress(t.host))
        let outcome = await evaluator.check(SPFRequest(client: client, helo: t.helo, mailFrom: t.mailfrom,
                                                       receiver: "receiver.example", now: Date(timeIntervalSince1970: 1_000_000)))
        #expect(t.result.contains(outcome.result.rawValue),
                "\(t.id) (\(scenario.description), §\(t.spec)): got \(outcome.result.rawValue) (\(outcome.reason ?? "")), want \(t.result)")
        if let explanation = t.explanation, outcome.result == .fail {
            #expect(outcome.explanation == explanation, "\(t.id): explanation")
        }
    }
}
