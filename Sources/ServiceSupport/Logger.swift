/// A small structured logger: a label, a minimum level, metadata, a redactor and a handler.
///
/// `Logger` is a value type. Copies made with ``with(_:_:)`` carry extra metadata (for example a request id)
/// without affecting the original. Messages and metadata are built lazily: nothing is evaluated when the level
/// is filtered out.
///
/// ```swift
/// let logger = Logger(label: "lakemark.http", level: .info)
/// let requestLogger = logger.with("request.id", "1f0e2d3c-…")
/// requestLogger.info("batch stored", ["records": 500, "bytes": 1_048_576])
/// ```
///
/// Every record passes through the ``Redactor`` before it reaches the handler.
public struct Logger: Sendable {
    /// The severity levels, available as `Logger.Level` as well.
    public typealias Level = LogLevel

    /// The logger's name, written in the `logger` field.
    public let label: String
    /// The minimum level written; less severe messages are dropped. Default: `.info`.
    public var level: LogLevel
    /// Metadata added to every message of this logger.
    public var metadata: [String: LogValue]
    /// Hides secrets in messages and metadata.
    public var redactor: Redactor
    /// Where records go.
    public var handler: any LogHandler

    /// Creates a logger.
    ///
    /// - Parameters:
    ///   - label: The logger name, for example `"lakemark.sink"`.
    ///   - level: The minimum level written. Default: `.info`.
    ///   - metadata: Metadata added to every message. Default: none.
    ///   - redactor: Hides secrets. Default: a redactor with only the always-sensitive key fragments.
    ///   - handler: Where records go. Default: a ``StderrLogHandler`` on standard error.
    public init(
        label: String,
        level: LogLevel = .info,
        metadata: [String: LogValue] = [:],
        redactor: Redactor = Redactor(),
        handler: any LogHandler = StderrLogHandler()
    ) {
        self.label = label
        self.level = level
        self.metadata = metadata
        self.redactor = redactor
        self.handler = handler
    }

    /// Reads or sets one metadata entry of this logger.
    ///
    /// - Parameter key: The metadata key.
    public subscript(metadataKey key: String) -> LogValue? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Returns a copy of this logger with one more metadata entry.
    ///
    /// - Parameters:
    ///   - key: The metadata key, for example `"request.id"`.
    ///   - value: The value.
    /// - Returns: The new logger; `self` is unchanged.
    public func with(_ key: String, _ value: LogValue) -> Logger {
        var copy = self
        copy.metadata[key] = value
        return copy
    }

    /// Tells whether a message at `level` would be written.
    ///
    /// - Parameter level: A level.
    /// - Returns: `true` when `level` is at least the logger's minimum level.
    public func isEnabled(_ level: LogLevel) -> Bool {
        level >= self.level
    }

    /// Writes a message at `level` if that level is enabled.
    ///
    /// - Parameters:
    ///   - level: The severity.
    ///   - message: The message, evaluated only when the level is enabled.
    ///   - metadata: Metadata for this message; it wins over the logger's metadata on equal keys.
    public func log(
        _ level: LogLevel,
        _ message: @autoclosure () -> String,
        _ metadata: @autoclosure () -> [String: LogValue] = [:]
    ) {
        guard isEnabled(level) else { return }
        let extra = metadata()
        let merged = extra.isEmpty ? self.metadata : self.metadata.merging(extra) { _, call in call }
        let record = LogRecord(
            timestampMillis: UTCTime.nowMillis(),
            level: level,
            label: label,
            message: redactor.redact(message()),
            metadata: redactor.redact(merged)
        )
        handler.write(record)
    }

    /// Writes a `trace` message.
    ///
    /// - Parameters:
    ///   - message: The message, evaluated only when enabled.
    ///   - metadata: Metadata for this message.
    public func trace(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: LogValue] = [:]) {
        log(.trace, message(), metadata())
    }

    /// Writes a `debug` message.
    ///
    /// - Parameters:
    ///   - message: The message, evaluated only when enabled.
    ///   - metadata: Metadata for this message.
    public func debug(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: LogValue] = [:]) {
        log(.debug, message(), metadata())
    }

    /// Writes an `info` message.
    ///
    /// - Parameters:
    ///   - message: The message, evaluated only when enabled.
    ///   - metadata: Metadata for this message.
    public func info(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: LogValue] = [:]) {
        log(.info, message(), metadata())
    }

    /// Writes a `notice` message.
    ///
    /// - Parameters:
    ///   - message: The message, evaluated only when enabled.
    ///   - metadata: Metadata for this message.
    public func notice(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: LogValue] = [:]) {
        log(.notice, message(), metadata())
    }

    /// Writes a `warning` message.
    ///
    /// - Parameters:
    ///   - message: The message, evaluated only when enabled.
    ///   - metadata: Metadata for this message.
    public func warning(
        _ message: @autoclosure () -> String,
        _ metadata: @autoclosure () -> [String: LogValue] = [:]
    ) {
        log(.warning, message(), metadata())
    }

    /// Writes an `error` message.
    ///
    /// - Parameters:
    ///   - message: The message, evaluated only when enabled.
    ///   - metadata: Metadata for this message.
    public func error(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: LogValue] = [:]) {
        log(.error, message(), metadata())
    }

    /// Writes a `critical` message.
    ///
    /// - Parameters:
    ///   - message: The message, evaluated only when enabled.
    ///   - metadata: Metadata for this message.
    public func critical(
        _ message: @autoclosure () -> String,
        _ metadata: @autoclosure () -> [String: LogValue] = [:]
    ) {
        log(.critical, message(), metadata())
    }
}
