import Foundation
import FacteurCore

/// Runs the console until the admin quits (after confirming that the server stops too).
///
/// Curses runs on a dedicated thread that this function waits for without blocking the
/// concurrency pool; the server keeps running on its own threads and only ever enqueues events.
/// The terminal is restored before this returns, also when it throws. Ctrl-C (and SIGINT) asks to
/// quit instead of killing the process; the caller then shuts the server down gracefully.
@discardableResult
public func runConsole(backend: some ConsoleBackend, theme: Theme, options: ConsoleOptions = ConsoleOptions()) async throws -> ConsoleExit {
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw ConsoleError.notATerminal }
    let pipe = try SelfPipe()
    let inbox = EventInbox(wake: { pipe.wake() })
    let completions = CompletionQueue(wake: { pipe.wake() })
    backend.subscribe { event in inbox.post(event) }
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
