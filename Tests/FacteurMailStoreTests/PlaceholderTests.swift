import Testing
@testable import FacteurMailStore
@Test func placeholder() { #expect(1 == 1) }
