import Foundation

/// What one `lakemark send` run did.
public struct SendSummary: Sendable {
    /// One request that did not end in delivery.
    public struct Failure: Sendable, Hashable {
        /// The request id (the same for every attempt).
        public var requestID: String
        /// The number of records in the request.
        public var recordCount: Int
        /// The file of the first record in the request.
        public var firstFile: String
        /// The reason of the last attempt.
        public var reason: String
    }

    /// The files read, with their kinds and record counts.
    public var files: [(path: String, kind: EventFileKind, records: Int)] = []
    /// The number of records (events) sent.
    public var events = 0
    /// The number of requests (each counted once, however many attempts).
    public var requests = 0
    /// The number of requests that ended delivered.
    public var delivered = 0
    /// The number of attempts made, retries included.
    public var attempts = 0
    /// The requests that did not end delivered.
    public var failures: [Failure] = []
    /// The record bytes before base64, over all requests.
    public var recordBytes = 0
    /// The request body bytes put on the wire, over all attempts (compressed size with `--gzip`).
    public var wireBytes = 0
    /// The wall-clock time spent sending, in seconds.
    public var seconds = 0.0

    /// Record megabytes (10^6 bytes) per second of sending.
    public var megabytesPerSecond: Double {
        seconds > 0 ? Double(recordBytes) / 1_000_000 / seconds : 0
    }

    /// The human-readable summary printed at the end of a run.
    ///
    /// - Parameter url: The endpoint the requests went to.
    /// - Returns: Several lines of text, without a trailing newline.
    public func report(url: URL) -> String {
        var lines: [String] = []
        lines.append(
            "sent \(events) records from \(files.count) files in \(requests) requests to \(url.absoluteString)"
        )
        lines.append("  delivered (200): \(delivered), failed: \(failures.count), attempts: \(attempts)")
        lines.append(
            "  record bytes: \(recordBytes), wire bytes: \(wireBytes), seconds: "
                + String(format: "%.3f", seconds) + ", MB/s: " + String(format: "%.2f", megabytesPerSecond)
        )
        for failure in failures {
            lines.append(
                "  FAILED request \(failure.requestID) (\(failure.recordCount) records from \(failure.firstFile)): "
                    + failure.reason
            )
        }
        return lines.joined(separator: "\n")
    }
}
