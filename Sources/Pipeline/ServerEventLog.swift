import Firehose
import HTTPCore
import HTTPServer
import ServiceSupport

/// Logs what the HTTP server saw but nobody answered: a response that could not be delivered, a request body the
/// client cut off, a failing `accept`.
///
/// Requests the server refused itself are logged by ``Router/respondToServerError(_:head:)``; this covers the
/// connection-level events that end without a response, so the log never shows only "batch stored" for a batch
/// whose 200 the client did not receive.
struct ServerEventLog: Sendable {
    private let logger: Logger
    private let limiter = LogRateLimiter(linesPerSecond: 10)

    /// Creates the log.
    /// - Parameter logger: Where the lines go.
    init(logger: Logger) {
        self.logger = logger
    }

    /// The server observer that writes the lines.
    var observer: HTTPServerObserver {
        { event in self.record(event) }
    }

    /// Writes a line for `event` when it is one this log covers and the rate limit admits it.
    /// - Parameter event: What the server reported.
    func record(_ event: HTTPServerEvent) {
        guard case .serverError(_, let error, let head) = event, let message = Self.message(error, head: head) else {
            return
        }
        guard let suppressed = limiter.admit(nowMillis: UTCTime.nowMillis()) else { return }
        var metadata: [String: LogValue] = [
            "error_code": .string("http.\(error.code)"), "similar_lines_suppressed": .int(suppressed),
        ]
        if let requestID = head?.headers[FirehoseRequestHead.HeaderName.requestID] {
            metadata["request_id"] = .string(requestID)
        }
        if let path = head?.path { metadata["path"] = .string(path) }
        if let errnoCode = error.errnoCode { metadata["errno"] = .int(Int(errnoCode)) }
        logger.warning(message, metadata)
    }

    private static func message(_ error: HTTPServerError, head: HTTPRequestHead?) -> String? {
        switch error.code {
        case .writeFailed, .writeTimeout:
            guard let head else { return nil }
            let stalled = "response not delivered: the client closed or stalled the connection"
            // Only a batch stores anything; other requests (probes, scrapes, errors) have nothing to add.
            guard head.method == .post else { return stalled }
            return stalled + "; anything stored for this request stays stored and the sender's retry writes it again"
        case .readFailed:
            guard head != nil else { return nil }
            return "request body cut off by the client; nothing was processed"
        case .acceptFailed:
            return "accepting connections failed; pausing briefly before the next attempt"
        default:
            return nil
        }
    }
}
