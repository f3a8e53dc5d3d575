import Foundation
import FacteurCore

/// Runs the console until the admin quits or detaches, or the server goes away.
///
/// Curses runs on a dedicated thread that this function waits for without blocking the
/// concurrency pool; the backend's reader only ever enqueues what the server sends. The terminal
/// is restored before this returns, also when it throws. Ctrl-C (and SIGINT) asks to quit
/// instead of killing the process; the caller decides what quitting does to the server.
@discardableResult
public func runConsole(backend: some ConsoleBackend, theme: Theme, options: ConsoleOptions = ConsoleOptions()) async throws -> ConsoleExit {
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw ConsoleError.notATerminal }
    let pipe = try SelfPipe()
    let inbox = EventInbox(wake: { pipe.wake() })
    let completions = CompletionQueue(wake: { pipe.wake() })
    backend.subscribe { feed in inbox.post(feed) }
    defer { inbox.close() }
    let result: Result<ConsoleExit, ConsoleError> = await withCheckedContinuation { continuation in
        let thread = Thread {
            do throws(ConsoleError) {
                guard let input = fdopen(dup(STDIN_FILENO), "r"), let output = fdopen(dup(STDOUT_FILENO), "w") else {
                    throw .system("fdopen", errno)
                }
                defer { fclose(input); fclose(output) }
                let loop = try ConsoleLoop(backend: backend, theme: theme, options: options, inbox: inbox,
                                           completions: completions, pipe: pipe, input: input, output: output,
                                           ttyFD: STDOUT_FILENO)
                continuation.resume(returning: .success(loop.run()))
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }
        thread.name = "facteur-console"
        thread.start()
    }
    pipe.close()
    return try result.get()
}
