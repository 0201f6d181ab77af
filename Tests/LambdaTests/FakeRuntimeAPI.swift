import Dispatch
import Foundation
import HTTPCore
import HTTPServer
import Synchronization

/// A loopback stand-in for the Lambda Runtime API (`2018-06-01`), following its documented contract:
/// `GET /2018-06-01/runtime/invocation/next` long-polls until a test queues an invocation and answers 200 with the
/// event and the `Lambda-Runtime-Aws-Request-Id`, `Lambda-Runtime-Deadline-Ms`, `Lambda-Runtime-Invoked-Function-Arn`
/// and `Lambda-Runtime-Trace-Id` headers; `POST …/invocation/{id}/response` answers 202, or 400 for an id that was
/// never handed out, 403 once an answer was accepted, 413 above 6,291,456 bytes (the invocation stays open);
/// `POST …/invocation/{id}/error` and `POST …/runtime/init/error` answer 202 and record the
/// `Lambda-Runtime-Function-Error-Type` header and the JSON body. Once stopped, `next` answers 500.
final class FakeRuntimeAPI: HTTPRequestHandler {
    /// One answer the runtime sent.
    struct Answer: Sendable {
        /// `response`, `error` or `init`.
        var kind: String
        /// The body as sent.
        var body: [UInt8]
        /// `Lambda-Runtime-Function-Error-Type`, for errors.
        var errorType: String?
        /// The status the fake answered.
        var status: Int
    }

    private struct Queued {
        var requestID: String
        var event: [UInt8]
        var deadlineMillis: Int64
        var traceID: String?
    }

    private struct State {
        var queue: [Queued] = []
        var handedOut: Set<String> = []
        var accepted: Set<String> = []
        var answers: [String: [Answer]] = [:]
        var initErrors: [Answer] = []
        var firstNext: ContinuousClock.Instant?
        var nextCount = 0
        var stopped = false
        /// Whether a `next` has been answered 500 since ``stop()``.
        var stopAnswered = false
    }

    /// Lambda's limit on a response body.
    static let responseLimit = 6_291_456

    private let state = Mutex(State())
    private let server = Mutex<HTTPServer?>(nil)

    /// Starts listening on an ephemeral loopback port.
    /// - Returns: `127.0.0.1:<port>`, the value of `AWS_LAMBDA_RUNTIME_API`.
    func start() throws -> String {
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.workerCount = 4
        configuration.keepAliveIdleTimeout = .seconds(600)
        let server = HTTPServer(configuration: configuration, handler: self)
        try server.start()
        self.server.withLock { $0 = server }
        return "127.0.0.1:\(server.boundPort)"
    }

    /// Makes `next` answer 500 and stops listening.
    func stop() {
        state.withLock { $0.stopped = true }
        // Give the client's next `next` (pending, or about to be sent) its 500 before the listener goes away, so
        // that a client that is merely slow sees the container error rather than a refused connection.
        let deadline = ContinuousClock.now + .seconds(2)
        while !state.withLock({ $0.stopAnswered }), ContinuousClock.now < deadline { usleep(2_000) }
        let running = server.withLock { server -> HTTPServer? in
            defer { server = nil }
            return server
        }
        running?.shutdown(gracePeriod: .seconds(1))
        running?.waitUntilStopped()
    }

    /// Queues an invocation for the next `next` call.
    /// - Parameters:
    ///   - event: The event document.
    ///   - deadlineMillis: `Lambda-Runtime-Deadline-Ms`. Default: five minutes from now.
    ///   - traceID: `Lambda-Runtime-Trace-Id`, if any.
    /// - Returns: The request id.
    @discardableResult
    func invoke(_ event: [UInt8], deadlineMillis: Int64? = nil, traceID: String? = nil) -> String {
        let requestID = UUID().uuidString.lowercased()
        let deadline = deadlineMillis ?? Int64(Date().timeIntervalSince1970 * 1_000) + 300_000
        state.withLock {
            $0.queue.append(Queued(requestID: requestID, event: event, deadlineMillis: deadline, traceID: traceID))
        }
        return requestID
    }

    /// Waits for the first answer to an invocation.
    /// - Parameters:
    ///   - requestID: The invocation.
    ///   - seconds: The longest wait.
    /// - Returns: The answer, or `nil` when none came in time.
    func answer(to requestID: String, seconds: Double = 60) -> Answer? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1_000))
        while ContinuousClock.now < deadline {
            if let answer = state.withLock({ $0.answers[requestID]?.first }) { return answer }
            usleep(1_000)
        }
        return nil
    }

    /// Every answer sent for an invocation (exactly one is expected).
    func answers(to requestID: String) -> [Answer] { state.withLock { $0.answers[requestID] ?? [] } }

    /// The init errors received.
    var initErrors: [Answer] { state.withLock { $0.initErrors } }

    /// When the first `next` request arrived.
    var firstNext: ContinuousClock.Instant? { state.withLock { $0.firstNext } }

    /// How many `next` requests arrived.
    var nextCount: Int { state.withLock { $0.nextCount } }

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        let path = request.head.target
        let prefix = "/2018-06-01/runtime/"
        guard path.hasPrefix(prefix) else { return Self.json(404, #"{"errorMessage":"not found"}"#) }
        let rest = path.dropFirst(prefix.count)
        if rest == "invocation/next", request.head.method == .get {
            return next()
        }
        if rest == "init/error", request.head.method == .post {
            let answer = Answer(
                kind: "init",
                body: request.body,
                errorType: request.head.headers["Lambda-Runtime-Function-Error-Type"],
                status: 202
            )
            state.withLock { $0.initErrors.append(answer) }
            return Self.json(202, #"{"status":"OK"}"#)
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "invocation", parts[2] == "response" || parts[2] == "error",
            request.head.method == .post
        else { return Self.json(404, #"{"errorMessage":"not found"}"#) }
        return answer(String(parts[1]), kind: String(parts[2]), request: request)
    }

    private func next() -> HTTPResponse {
        while true {
            let (queued, stopped) = state.withLock { state -> (Queued?, Bool) in
                if state.firstNext == nil { state.firstNext = .now }
                if state.stopped {
                    state.stopAnswered = true
                    return (nil, true)
                }
                guard !state.queue.isEmpty else { return (nil, false) }
                state.nextCount += 1
                let queued = state.queue.removeFirst()
                state.handedOut.insert(queued.requestID)
                return (queued, false)
            }
            if stopped { return Self.json(500, #"{"errorMessage":"shutting down","errorType":"Runtime.Stopped"}"#) }
            guard let queued else {
                usleep(1_000)
                continue
            }
            var headers: HTTPHeaders = [
                "Content-Type": "application/json",
                "Lambda-Runtime-Aws-Request-Id": queued.requestID,
                "Lambda-Runtime-Deadline-Ms": String(queued.deadlineMillis),
                "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:123456789012:function:lakemark",
            ]
            if let traceID = queued.traceID { headers.add(name: "Lambda-Runtime-Trace-Id", value: traceID) }
            return HTTPResponse(status: .ok, headers: headers, body: queued.event)
        }
    }

    private func answer(_ requestID: String, kind: String, request: HTTPRequest) -> HTTPResponse {
        let errorType = request.head.headers["Lambda-Runtime-Function-Error-Type"]
        return state.withLock { state -> HTTPResponse in
            let status: Int
            let body: String
            if !state.handedOut.contains(requestID) {
                (status, body) = (400, #"{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#)
            } else if state.accepted.contains(requestID) {
                (status, body) = (
                    403, #"{"errorMessage":"Invalid state transition","errorType":"InvalidStateTransition"}"#
                )
            } else if kind == "response", request.body.count > Self.responseLimit {
                (status, body) = (413, #"{"errorMessage":"Payload too large","errorType":"RequestEntityTooLarge"}"#)
            } else {
                (status, body) = (202, #"{"status":"OK"}"#)
                state.accepted.insert(requestID)
            }
            state.answers[requestID, default: []].append(
                Answer(kind: kind, body: request.body, errorType: errorType, status: status)
            )
            return Self.json(status, body)
        }
    }

    private static func json(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(
            status: HTTPStatus(code: status),
            headers: ["Content-Type": "application/json"],
            body: Array(body.utf8)
        )
    }
}
