import Glibc

/// One invocation received from `GET /2018-06-01/runtime/invocation/next`.
public struct LambdaInvocation: Sendable {
    /// `Lambda-Runtime-Aws-Request-Id`: names the invocation in the response or error call.
    public var requestID: String
    /// `Lambda-Runtime-Deadline-Ms`: when the function times out, in Unix milliseconds; `nil` when absent or
    /// unreadable.
    public var deadlineMillis: Int64?
    /// `Lambda-Runtime-Invoked-Function-Arn`, when sent.
    public var invokedFunctionARN: String?
    /// `Lambda-Runtime-Trace-Id` (the X-Ray header), when sent.
    public var traceID: String?
    /// The event document.
    public var event: [UInt8]

    /// Creates an invocation.
    /// - Parameters:
    ///   - requestID: The request id.
    ///   - deadlineMillis: The deadline in Unix milliseconds, if known. Default: `nil`.
    ///   - invokedFunctionARN: The function ARN, if known. Default: `nil`.
    ///   - traceID: The X-Ray trace header, if any. Default: `nil`.
    ///   - event: The event document.
    public init(
        requestID: String,
        deadlineMillis: Int64? = nil,
        invokedFunctionARN: String? = nil,
        traceID: String? = nil,
        event: [UInt8]
    ) {
        self.requestID = requestID
        self.deadlineMillis = deadlineMillis
        self.invokedFunctionARN = invokedFunctionARN
        self.traceID = traceID
        self.event = event
    }

    /// Time left until the deadline, measured on the wall clock now; `nil` without a deadline.
    /// - Returns: The remaining time; negative once the deadline has passed.
    public func remainingTime() -> Duration? {
        deadlineMillis.map { .milliseconds($0 - Self.nowMillis()) }
    }

    /// Unix time in milliseconds.
    static func nowMillis() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
