import ServiceSupport

/// How a command that cannot start says so: one `critical` JSON line `cannot start` on stderr, in the same form as
/// every other log line, with `error_code`, `error` and `exit_code`.
enum StartupFailure {
    /// Exit code for a configuration the operator must fix.
    static let configurationExitCode: Int32 = 2
    /// Exit code for anything else (an address in use, a peer that fails at start-up).
    static let otherExitCode: Int32 = 1

    /// Logs the failure and returns its exit code.
    /// - Parameters:
    ///   - logger: Where the line goes (a default logger when the configuration never loaded).
    ///   - reason: What went wrong, naming the option or the address.
    ///   - code: The stable error code (`config.*`, `http.bindFailed`, …).
    ///   - exitCode: The process exit code.
    /// - Returns: `exitCode`.
    static func report(_ logger: Logger, _ reason: String, code: String, exitCode: Int32) -> Int32 {
        logger.critical(
            "cannot start",
            ["error_code": .string(code), "error": .string(reason), "exit_code": .int(Int(exitCode))]
        )
        return exitCode
    }

    /// Logs a configuration error (exit code 2).
    /// - Parameters:
    ///   - logger: Where the line goes.
    ///   - error: The configuration error.
    /// - Returns: 2.
    static func report(_ logger: Logger, _ error: ConfigurationError) -> Int32 {
        report(logger, error.description, code: error.code.name, exitCode: configurationExitCode)
    }
}
