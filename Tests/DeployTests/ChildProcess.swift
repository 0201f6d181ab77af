import Foundation

/// Runs other programs: the validators on `PATH` and the `lakemark` binary.
enum ChildProcess {
    /// What a finished program printed and how it ended.
    struct Outcome: Sendable {
        /// The exit status (or the signal number when ``signalled``).
        let status: Int32
        /// Whether a signal ended it.
        let signalled: Bool
        /// Standard output and standard error, interleaved.
        let output: String
    }

    /// Whether a tool on `PATH` runs: `name --version` exits 0 (a pyenv shim without the package does not).
    /// - Parameter name: the command name.
    /// - Returns: `true` when it can be used.
    static func isInstalled(_ name: String) -> Bool {
        (try? run(URL(fileURLWithPath: "/usr/bin/env"), [name, "--version"]).status) == 0
    }

    /// Runs a command found on `PATH` to completion.
    /// - Parameter arguments: the command and its arguments.
    /// - Returns: how it ended and what it printed.
    /// - Throws: when it cannot be started.
    static func runTool(_ arguments: [String]) throws -> Outcome {
        try run(URL(fileURLWithPath: "/usr/bin/env"), arguments)
    }

    /// Runs a program to completion.
    /// - Parameters:
    ///   - executable: the program.
    ///   - arguments: its arguments.
    ///   - environment: its whole environment; `nil` inherits this process's.
    /// - Returns: how it ended and what it printed.
    /// - Throws: when it cannot be started.
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            signalled: process.terminationReason == .uncaughtSignal,
            output: String(decoding: output, as: UTF8.self)
        )
    }

    /// Waits for a started process to end, polling; kills it when it outlives the limit.
    /// - Parameters:
    ///   - process: a running process.
    ///   - seconds: the longest wait.
    /// - Returns: `true` when it ended by itself within the limit.
    static func waitForExit(_ process: Process, seconds: Double) -> Bool {
        let polls = Int(seconds * 10)
        for _ in 0..<polls where process.isRunning {
            usleep(100_000)
        }
        guard process.isRunning else { return true }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }
}
