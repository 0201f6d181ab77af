import Glibc
import HTTPClient
import HTTPCore

/// A client of the Lambda Runtime API (version `2018-06-01`) over HTTP/1.1 with keep-alive.
///
/// `GET …/invocation/next` is a long poll: Lambda may freeze the process while it waits, so that call has no
/// read timeout. Answers (`…/response`, `…/error`, `…/init/error`) use ``answerTimeout``. Every call blocks the
/// calling thread.
public final class LambdaRuntimeClient: Sendable {
    /// The variable Lambda sets to the Runtime API's `host:port`.
    public static let endpointVariable = "AWS_LAMBDA_RUNTIME_API"
    /// The variable the X-Ray SDKs read the current trace header from.
    public static let traceVariable = "_X_AMZN_TRACE_ID"

    /// The Runtime API host.
    public let host: String
    /// The Runtime API port.
    public let port: Int
    /// How long an answer call may wait for the Runtime API. Default: 30 s.
    public let answerTimeout: Duration
    private let pollingClient: HTTPClient
    private let answeringClient: HTTPClient

    /// Creates a client.
    /// - Parameters:
    ///   - endpoint: `host:port` as in `AWS_LAMBDA_RUNTIME_API` (an IPv6 host in brackets).
    ///   - answerTimeout: How long an answer call may wait for the Runtime API. Default: 30 s.
    /// - Throws: ``LambdaRuntimeError/Code/invalidEndpoint``.
    public init(endpoint: String, answerTimeout: Duration = .seconds(30)) throws(LambdaRuntimeError) {
        let url: HTTPURL
        do {
            url = try HTTPURL(parsing: "http://\(endpoint)")
        } catch {
            throw LambdaRuntimeError(.invalidEndpoint, "\(Self.endpointVariable)=\(endpoint) is not host:port")
        }
        guard url.path == "/", url.query == nil, !endpoint.isEmpty else {
            throw LambdaRuntimeError(.invalidEndpoint, "\(Self.endpointVariable)=\(endpoint) is not host:port")
        }
        self.host = url.host
        self.port = url.port
        self.answerTimeout = answerTimeout
        var polling = HTTPClient.Configuration()
        polling.readTimeout = .seconds(Int64(Int32.max))
        polling.maxIdleConnectionsPerEndpoint = 1
        polling.idleConnectionTimeout = .seconds(Int64(Int32.max))
        pollingClient = HTTPClient(configuration: polling)
        var answering = HTTPClient.Configuration()
        answering.connectTimeout = answerTimeout
        answering.readTimeout = answerTimeout
        answering.writeTimeout = answerTimeout
        answering.maxIdleConnectionsPerEndpoint = 1
        answeringClient = HTTPClient(configuration: answering)
    }

    /// Waits for the next invocation (no timeout).
    /// - Returns: The invocation.
    /// - Throws: ``LambdaRuntimeError``: `containerError` (exit), `transport`, `rejected`, `missingRequestID`.
    public func nextInvocation() throws(LambdaRuntimeError) -> LambdaInvocation {
        let response = try exchange(pollingClient, .get, "/2018-06-01/runtime/invocation/next", headers: [:], [])
        guard response.status.code == 200 else {
            throw Self.failure(response, call: "next")
        }
        guard let requestID = response.headers["Lambda-Runtime-Aws-Request-Id"], !requestID.isEmpty else {
            throw LambdaRuntimeError(.missingRequestID, status: 200, "next: no Lambda-Runtime-Aws-Request-Id")
        }
        return LambdaInvocation(
            requestID: requestID,
            deadlineMillis: response.headers["Lambda-Runtime-Deadline-Ms"].flatMap { Int64($0) },
            invokedFunctionARN: response.headers["Lambda-Runtime-Invoked-Function-Arn"],
            traceID: response.headers["Lambda-Runtime-Trace-Id"],
            event: response.body
        )
    }

    /// Sends an invocation's result (`POST …/invocation/{id}/response`, expecting 202).
    /// - Parameters:
    ///   - body: The response document.
    ///   - requestID: The invocation's request id.
    /// - Throws: ``LambdaRuntimeError``; `rejected` with status 413 when the body is over Lambda's limit.
    public func sendResponse(_ body: [UInt8], requestID: String) throws(LambdaRuntimeError) {
        let path = "/2018-06-01/runtime/invocation/\(try Self.pathSegment(requestID))/response"
        let response = try exchange(answeringClient, .post, path, headers: ["Content-Type": "application/json"], body)
        guard response.status.code == 202 else {
            throw Self.failure(response, call: "response")
        }
    }

    /// Reports that an invocation failed (`POST …/invocation/{id}/error`, expecting 202).
    /// - Parameters:
    ///   - error: The error type and message.
    ///   - requestID: The invocation's request id.
    /// - Throws: ``LambdaRuntimeError``.
    public func sendInvocationError(_ error: LambdaFunctionError, requestID: String) throws(LambdaRuntimeError) {
        let path = "/2018-06-01/runtime/invocation/\(try Self.pathSegment(requestID))/error"
        try sendError(error, path: path, call: "invocation error")
    }

    /// Reports that initialisation failed (`POST …/runtime/init/error`, expecting 202); the runtime should exit
    /// afterwards.
    /// - Parameter error: The error type and message.
    /// - Throws: ``LambdaRuntimeError``.
    public func sendInitError(_ error: LambdaFunctionError) throws(LambdaRuntimeError) {
        try sendError(error, path: "/2018-06-01/runtime/init/error", call: "init error")
    }

    private func sendError(_ error: LambdaFunctionError, path: String, call: String) throws(LambdaRuntimeError) {
        let headers: HTTPHeaders = [
            "Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error.headerValue,
        ]
        let response = try exchange(answeringClient, .post, path, headers: headers, error.json)
        guard response.status.code == 202 else {
            throw Self.failure(response, call: call)
        }
    }

    private func exchange(
        _ client: HTTPClient,
        _ method: HTTPMethod,
        _ path: String,
        headers: HTTPHeaders,
        _ body: [UInt8]
    ) throws(LambdaRuntimeError) -> HTTPResponse {
        let request = HTTPClientRequest(
            method: method,
            host: host,
            port: port,
            target: path,
            headers: headers,
            body: body
        )
        do {
            return try client.send(request)
        } catch {
            throw LambdaRuntimeError(.transport, "\(method) \(path): \(error)")
        }
    }

    /// The request id as a path segment; ids with characters that would change the path are refused.
    private static func pathSegment(_ requestID: String) throws(LambdaRuntimeError) -> String {
        let allowed = requestID.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: ":")
        }
        guard allowed, !requestID.isEmpty else {
            throw LambdaRuntimeError(.rejected, "request id \"\(requestID.prefix(80))\" is not a safe path segment")
        }
        return requestID
    }

    private static func failure(_ response: HTTPResponse, call: String) -> LambdaRuntimeError {
        let code: LambdaRuntimeError.Code = response.status.code == 500 ? .containerError : .rejected
        let text = String(decoding: response.body.prefix(512), as: UTF8.self)
        return LambdaRuntimeError(code, status: response.status.code, "\(call): \(text)")
    }
}
