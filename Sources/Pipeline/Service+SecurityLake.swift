import Dispatch
import S3
import ServiceSupport
import Sink

extension Service {
    /// The Parquet output of a `parquet` configuration (with its spool recovered), else `nil`.
    /// - Throws: when the bundled OCSF schemas cannot be loaded or the spool cannot be recovered.
    static func makeSecurityLake(
        _ configuration: Configuration,
        sink: any ObjectSink,
        logger: Logger
    ) throws -> SecurityLakeOutput? {
        guard configuration.format == .parquet else { return nil }
        let settings = configuration.securityLake
        var sinkPrefix = ""
        if case .s3(_, let prefix) = configuration.sink {
            sinkPrefix = prefix
            // Security Lake's permissions boundary denies s3:PutObjectAcl to the provider role.
            guard !configuration.s3.grantsBucketOwnerFullControl else {
                throw ConfigurationError(
                    .invalidValue,
                    key: "s3_acl",
                    "format parquet writes through Security Lake's provider role, which may not set object ACLs"
                )
            }
        }
        let writer = try SecurityLakeWriter(settings: settings, sinkPrefix: sinkPrefix)
        guard let directory = settings.spoolDirectory else { return SecurityLakeOutput(writer: writer, spool: nil) }
        let spool = SecurityLakeSpool(
            directory: directory,
            writer: writer,
            sink: sink,
            maxAgeSeconds: settings.spoolMaxAgeSeconds,
            maxBytes: settings.spoolMaxBytes
        )
        for report in try spool.recover() {
            logger.notice("spool flush repeated after restart", fields(report))
        }
        return SecurityLakeOutput(writer: writer, spool: spool)
    }

    /// A timer that flushes due partitions every quarter of the flush age (at most every 5 s, at least every 1 s).
    static func makeSpoolTimer(
        _ spool: SecurityLakeSpool,
        queue: DispatchQueue,
        logger: Logger
    ) -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let interval = min(5.0, max(1.0, spool.maxAgeSeconds / 4))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler {
            do {
                for report in try spool.flushDue() { logger.info("spool flushed", fields(report)) }
            } catch {
                logger.error("spool flush failed; the partition stays spooled", ["error": .string("\(error)")])
            }
        }
        return timer
    }

    private static func fields(_ report: SecurityLakeSpool.FlushReport) -> [String: LogValue] {
        [
            "key": .string(report.key), "rows": .int(report.rows), "files": .int(report.files),
            "bytes": .int(report.bytes),
        ]
    }
}
