/// A whole DNS message (RFC 1035 §4.1): header, then question, answer, authority and
/// additional sections.
public struct DNSMessage: Sendable, Hashable {
    public var header: DNSHeader
    public var questions: [DNSQuestion]
    public var answers: [DNSResourceRecord]
    public var authorities: [DNSResourceRecord]
    public var additionals: [DNSResourceRecord]

    public init(header: DNSHeader, questions: [DNSQuestion] = [], answers: [DNSResourceRecord] = [],
                authorities: [DNSResourceRecord] = [], additionals: [DNSResourceRecord] = []) {
        self.header = header; self.questions = questions; self.answers = answers
        self.authorities = authorities; self.additionals = additionals
    }

    /// A recursive query for one name and type.
    public static func query(id: UInt16, name: DNSName, type: DNSRecordType) -> DNSMessage {
        DNSMessage(header: DNSHeader(id: id, recursionDesired: true), questions: [DNSQuestion(name: name, type: type)])
    }

    public func encode() throws(DNSWireError) -> [UInt8] {
        let recordCount = answers.count + authorities.count + additionals.count
        guard questions.count <= DNSLimits.maxQuestions, recordCount <= DNSLimits.maxRecords else {
            throw .tooManyRecords
        }
        var writer = WireWriter()
        writer.u16(header.id)
        writer.u16(header.flags)
        for count in [questions.count, answers.count, authorities.count, additionals.count] { writer.u16(UInt16(count)) }
        for question in questions { question.write(to: &writer) }
        for record in answers + authorities + additionals { try record.write(to: &writer) }
        guard writer.bytes.count <= DNSLimits.maxMessageBytes else { throw .messageTooLarge }
        return writer.bytes
    }

    /// Decodes a message. Trailing octets after the last record are ignored (some servers pad).
    public static func decode(_ bytes: [UInt8]) throws(DNSWireError) -> DNSMessage {
        guard bytes.count <= DNSLimits.maxMessageBytes else { throw .messageTooLarge }
        var reader = WireReader(bytes)
        let id = try reader.u16()
        let flags = try reader.u16()
        let questionCount = Int(try reader.u16())
        let answerCount = Int(try reader.u16())
        let authorityCount = Int(try reader.u16())
        let additionalCount = Int(try reader.u16())
        guard questionCount <= DNSLimits.maxQuestions,
              answerCount + authorityCount + additionalCount <= DNSLimits.maxRecords else { throw .tooManyRecords }
        var message = DNSMessage(header: DNSHeader(id: id, flags: flags))
        for _ in 0..<questionCount { message.questions.append(try DNSQuestion.read(from: &reader)) }
        for _ in 0..<answerCount { message.answers.append(try DNSResourceRecord.read(from: &reader)) }
        for _ in 0..<authorityCount { message.authorities.append(try DNSResourceRecord.read(from: &reader)) }
        for _ in 0..<additionalCount { message.additionals.append(try DNSResourceRecord.read(from: &reader)) }
        return message
    }
}
