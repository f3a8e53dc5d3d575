import ArgumentParser
import Foundation

struct SortBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sort",
        abstract: "SORT (DATE), SORT (SUBJECT), SORT (REVERSE ARRIVAL) and THREAD REFERENCES round trips on a large mailbox.",
        discussion: """
            With --fill, first writes --messages files into that Maildir's new/ (varied Date, Subject, From and \
            References, a reply to an earlier message one time in three), as delivery would. Then logs in, \
            SELECTs INBOX (indexing new files), sends one SORT (DATE) that fills the sort keys the index lacks \
            (reported apart), and times each command --rounds times from a raw socket (to the tagged OK).
            """)

    @OptionGroup var server: ServerOptions<IMAPService>
    @Option var user = "big@example.test"
    @Option var password = "pass"
    @Option(help: "A Maildir folder (e.g. <data_dir>/mail/example.test/big) to fill first.") var fill: String?
    @Option var messages = 100_000
    @Option var rounds = 5

    func run() throws {
        if let fill { try Self.fill(fill, count: messages) }
        let client = try IMAPLoad(host: server.host, port: server.port)
        try client.run("LOGIN \"\(user)\" \"\(password)\"")
        var began = Date()
        try client.run("SELECT INBOX")
        print(String(format: "sort: SELECT INBOX %.0f ms", Date().timeIntervalSince(began) * 1000))
        began = Date()
        try client.run("SORT (DATE) UTF-8 ALL")
        print(String(format: "sort: first SORT (DATE), filling missing sort keys: %.0f ms", Date().timeIntervalSince(began) * 1000))
        for command in ["SORT (DATE) UTF-8 ALL", "SORT (SUBJECT) UTF-8 ALL", "SORT (REVERSE ARRIVAL) UTF-8 ALL", "THREAD REFERENCES UTF-8 ALL"] {
            var times: [Double] = []
            for _ in 0..<rounds {
                let start = Date()
                try client.run(command)
                times.append(Date().timeIntervalSince(start) * 1000)
            }
            times.sort()
            print(String(format: "sort: %@: min %.0f / median %.0f / max %.0f ms over %d rounds", command, times[0], times[times.count / 2],
                         times[times.count - 1], rounds))
        }
        try client.run("LOGOUT")
    }

    /// Writes `count` messages into `maildir`/new with deterministic, varied headers.
    static func fill(_ maildir: String, count: Int) throws {
        try BenchMaildir.prepare(maildir)
        let words = ["budget", "meeting", "invoice", "lunch", "report", "holiday", "server", "contract", "order", "delivery",
                     "plans", "review", "update", "question", "offer", "schedule", "training", "event", "payment", "feedback"]
        let prefixes = ["", "", "", "Re: ", "RE: ", "Fwd: ", "[team] ", "Re: [list] "]
        let names = ["Alice", "Bob", "Carol", "Dave", "Émile", "Frank", "Grace", "Heidi", "Ivan", "Judy"]
        var state: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let base = Int(Date().timeIntervalSince1970) - count
        for index in 0..<count {
            let name = names[next(names.count)]
            let subject = prefixes[next(prefixes.count)] + words[next(words.count)] + " " + String(next(2000))
            let date = "\(1 + next(28)) \(months[next(12)]) \(2022 + next(4)) \(10 + next(10)):\(10 + next(50)):\(10 + next(50)) +0000"
            var text = "From: \(name) <\(name.lowercased())\(next(50))@example.org>\r\nTo: big@example.test\r\n"
                + "Subject: \(subject)\r\nDate: \(date)\r\nMessage-ID: <\(index)@bench.example>\r\n"
            if index > 0 && next(3) == 0 { text += "References: <\(next(index))@bench.example>\r\n" }
            text += "\r\nbody \(index)\r\n"
            try BenchMaildir.write(text, into: maildir, name: "\(base + index).M\(index)P1Q\(index).bench")
        }
        print("sort: \(count) messages written into \(maildir)/new")
    }
}
