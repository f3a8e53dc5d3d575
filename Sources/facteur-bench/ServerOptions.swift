import ArgumentParser

/// A service's usual test port, the default of `--port`.
protocol BenchService {
    static var port: Int { get }
}

enum SMTPService: BenchService { static let port = 2525 }
enum IMAPService: BenchService { static let port = 1143 }
enum POP3Service: BenchService { static let port = 1110 }

/// The server a network benchmark talks to: `--host` (loopback only, checked before the run)
/// and `--port`.
struct ServerOptions<Service: BenchService>: ParsableArguments {
    @Option(help: "Server address (loopback only: 127.0.0.0/8, ::1).") var host = "127.0.0.1"
    @Option(help: "Server port.") var port = Service.port

    func validate() throws {
        try checkLoopback(host)
    }
}

/// The account a benchmark logs in with.
struct LoginOptions: ParsableArguments {
    @Option(help: "User; where the bench takes --users, USER%d is replaced by 1…users (e.g. testuser%d).") var user = "bench@example.test"
    @Option var password = "bench"
}
