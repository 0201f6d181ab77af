/// Parquet output: the writer, and the spool when `spool_dir` is set (else each request is written directly).
public final class SecurityLakeOutput: Sendable {
    /// Converts, validates and writes records.
    public let writer: SecurityLakeWriter
    /// The durable spool, or `nil` in direct mode.
    public let spool: SecurityLakeSpool?

    /// Creates the output.
    /// - Parameters:
    ///   - writer: the writer.
    ///   - spool: the spool, or `nil` for direct mode.
    public init(writer: SecurityLakeWriter, spool: SecurityLakeSpool?) {
        self.writer = writer
        self.spool = spool
    }
}
