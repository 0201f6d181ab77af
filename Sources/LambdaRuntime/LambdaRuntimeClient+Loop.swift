import Glibc

extension LambdaRuntimeClient {
    /// What the handler made of one invocation.
    public enum Outcome: Sendable {
        /// Send this response document.
        case response([UInt8])
        /// Report this error for the invocation.
        case failure(LambdaFunctionError)
    }

    /// Serves invocations one after another until the Runtime API fails for good.
    ///
    /// Before each call of `handler`, `_X_AMZN_TRACE_ID` is set to the invocation's trace header (or removed when
    /// there is none). A response the Runtime API refuses with 413 is replaced by an invocation error of type
    /// `Function.ResponseSizeTooLarge`. Other refused answers are passed to `onAnswerFailure` and the loop goes on.
    /// - Parameters:
    ///   - handler: Turns an invocation into its outcome; called on this thread.
    ///   - onAnswerFailure: Told when an answer could not be delivered (for the application's log).
    /// - Returns: The error that ended the loop (a failed `next`, or a container error).
    public func run(
        _ handler: (LambdaInvocation) -> Outcome,
        onAnswerFailure: (LambdaRuntimeError, String) -> Void = { _, _ in }
    ) -> LambdaRuntimeError {
        while true {
            let invocation: LambdaInvocation
            do {
                invocation = try nextInvocation()
            } catch {
                return error
            }
            if let traceID = invocation.traceID {
                setenv(Self.traceVariable, traceID, 1)
            } else {
                unsetenv(Self.traceVariable)
            }
            do {
                try deliver(handler(invocation), requestID: invocation.requestID)
            } catch {
                if error.isFatal { return error }
                onAnswerFailure(error, invocation.requestID)
            }
        }
    }

    private func deliver(_ outcome: Outcome, requestID: String) throws(LambdaRuntimeError) {
        switch outcome {
        case .response(let body):
            do {
                try sendResponse(body, requestID: requestID)
            } catch  where error.status == 413 {
                let tooLarge = LambdaFunctionError(
                    errorType: "Function.ResponseSizeTooLarge",
                    errorMessage: "the response of \(body.count) bytes was refused as too large"
                )
                try sendInvocationError(tooLarge, requestID: requestID)
            }
        case .failure(let error):
            try sendInvocationError(error, requestID: requestID)
        }
    }
}
