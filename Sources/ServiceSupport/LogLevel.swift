/// The severity of a log message, from the most verbose (`trace`) to the most severe (`critical`).
///
/// Levels are ordered: a ``Logger`` whose minimum level is `.info` emits `info`, `notice`, `warning`,
/// `error` and `critical` messages and drops `trace` and `debug` ones.
public enum LogLevel: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// Very detailed diagnostics, usually only enabled while investigating a problem.
    case trace
    /// Diagnostics useful to developers.
    case debug
    /// Normal operational messages (startup, configuration, lifecycle).
    case info
    /// Normal but significant conditions.
    case notice
    /// Something unexpected happened but the operation continued.
    case warning
    /// An operation failed.
    case error
    /// The process cannot continue correctly.
    case critical

    /// The lowercase name written in the `level` field of a log line (for example `"warning"`).
    public var name: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        case .critical: "critical"
        }
    }

    /// The same as ``name``.
    public var description: String { name }

    /// Parses a level name, case-insensitively (`"INFO"`, `"warning"`; `"warn"` is accepted for `warning`).
    ///
    /// - Parameter name: The level name.
    /// - Returns: The level, or `nil` when the name is not a level.
    public init?(name: String) {
        let lowered = name.lowercased()
        if lowered == "warn" {
            self = .warning
            return
        }
        guard let level = LogLevel.allCases.first(where: { $0.name == lowered }) else {
            return nil
        }
        self = level
    }

    /// Orders levels by severity.
    ///
    /// - Parameters:
    ///   - lhs: A level.
    ///   - rhs: Another level.
    /// - Returns: `true` when `lhs` is less severe than `rhs`.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
