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
    /// The round-trip time of each delivered request's successful attempt (request written to response read), in
    /// seconds, in request order.
    public var latencies: [Double] = []

    /// The latency at or below which `fraction` of the delivered requests finished (nearest rank).
    /// - Parameter fraction: The quantile, 0…1 (0.5 for the median, 0.99 for p99).
    /// - Returns: Seconds, or `nil` when no request was delivered.
    public func latency(quantile fraction: Double) -> Double? {
        guard !latencies.isEmpty else { return nil }
        let sorted = latencies.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count, max(1, rank)) - 1]
    }

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
        if let median = latency(quantile: 0.5), let p99 = latency(quantile: 0.99), let worst = latencies.max() {
            lines.append(
                "  latency ms: p50 " + String(format: "%.1f", median * 1_000) + ", p99 "
                    + String(format: "%.1f", p99 * 1_000) + ", max " + String(format: "%.1f", worst * 1_000)
            )
        }
        for failure in failures {
            lines.append(
                "  FAILED request \(failure.requestID) (\(failure.recordCount) records from \(failure.firstFile)): "
                    + failure.reason
            )
        }
        return lines.joined(separator: "\n")
    }
}
