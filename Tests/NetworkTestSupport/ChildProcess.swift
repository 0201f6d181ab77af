import Foundation
import Glibc
import Synchronization

/// A child process started by a test, with its standard output and error collected, killed on ``stop()`` or
/// when released.
///
/// Children are stopped with SIGKILL: processes spawned from the test runner's threads may inherit a signal
/// mask that blocks SIGTERM.
public final class ChildProcess: Sendable {
    private let process: Process
    private let output = Output()
    /// Standard input, kept open for the life of the process (interactive tools stop at end of input).
    private let input: Pipe

    /// Starts `executable` with `arguments`.
    /// - Parameters:
    ///   - executable: The program, looked up in `PATH` (through `/usr/bin/env`).
    ///   - arguments: The arguments.
    ///   - environment: Variables added to the test process's environment.
    ///   - input: Bytes written to standard input, which is then left open (so interactive tools keep running).
    /// - Throws: When the process cannot be started.
    public init(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        input: [UInt8] = []
    ) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stdout
        process.standardInput = stdin
        self.process = process
        self.input = stdin
        try process.run()
        if !input.isEmpty {
            stdin.fileHandleForWriting.write(Data(input))
        }
        let handle = stdout.fileHandleForReading
        // The collector holds only the buffer, so releasing the ChildProcess still kills the child.
        let collected = Thread { [output] in
            while true {
                let data = handle.availableData
                guard !data.isEmpty else {
                    return
                }
                output.bytes.withLock { $0.append(contentsOf: data) }
            }
        }
        collected.start()
    }

    deinit {
        self.stop()
    }

    /// The collected output, shared with the collecting thread.
    private final class Output: Sendable {
        let bytes = Mutex<[UInt8]>([])
    }

    /// Everything written to standard output and error so far.
    public var outputText: String {
        self.output.bytes.withLock { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether the process is still running.
    public var isRunning: Bool { self.process.isRunning }

    /// Waits until the output contains `text`.
    /// - Parameters:
    ///   - text: The text to wait for.
    ///   - seconds: The longest wait.
    /// - Returns: The output at that point.
    /// - Throws: ``TestFailure`` when the text does not appear in time or the process exits.
    @discardableResult
    public func waitForOutput(containing text: String, seconds: Double) throws -> String {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1_000))
        while true {
            let current = self.outputText
            if current.contains(text) {
                return current
            }
            guard self.process.isRunning, ContinuousClock.now < deadline else {
                throw TestFailure("'\(text)' did not appear; output so far: \(current.suffix(2_000))")
            }
            usleep(20_000)
        }
    }

    /// Kills the process (SIGKILL, by its id) and waits for it.
    public func stop() {
        if self.process.isRunning {
            kill(self.process.processIdentifier, SIGKILL)
        }
        self.process.waitUntilExit()
        try? self.input.fileHandleForWriting.close()
    }

    /// Runs a program to completion.
    /// - Parameters:
    ///   - executable: The program, looked up in `PATH`.
    ///   - arguments: The arguments.
    ///   - environment: Variables added to the environment.
    ///   - input: Standard input, closed after writing.
    /// - Returns: The exit status and the combined standard output and error.
    /// - Throws: When the process cannot be started.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        input: [UInt8] = []
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stdout
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        stdin.fileHandleForWriting.closeFile()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
