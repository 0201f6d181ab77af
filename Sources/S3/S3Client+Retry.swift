import AWSSigning
import Foundation
import HTTPClient
import HTTPCore
import Synchronization

extension S3Client {
    /// Sends a request until it succeeds, fails for good, runs out of attempts or quota, or the deadline passes.
    /// - Parameters:
    ///   - request: The call; signed again for every attempt.
    ///   - deadline: When the operation must be over.
    /// - Returns: The 2xx response.
    /// - Throws: ``S3Error``: S3's error, a transport error, or `deadlineExceeded` carrying the last failure.
    func perform(_ request: S3Request, deadline: ContinuousClock.Instant) throws(S3Error) -> HTTPResponse {
        var attempt = 0
        var retryCost = 0
        var correctedClock = false
        var refreshedCredentials = false
        var lastFailure: S3Error?
        while true {
            guard ContinuousClock.now < deadline else {
                throw self.fail(Self.deadlineError(lastFailure, attempts: attempt, operation: request.operation))
            }
            attempt += 1
            let httpRequest = try self.sign(request)
            let sent = self.skew.localNow
            self.counters.requests.add(1, ordering: .relaxed)
            let outcome = OperationDeadline.with(deadline) {
                Result { () throws(HTTPClientError) in try self.sendTyped(httpRequest) }
            }
            var failure: S3Error
            switch outcome {
            case .success(let response):
                if response.status.isSuccess
                    && !(request.mayFailWithSuccessStatus && S3XML.rootIs("Error", in: response.body))
                {
                    self.retryQuota.recordSuccess(retryCost: retryCost)
                    return response
                }
                failure = S3Error(response: response, operation: request.operation)
                if failure.code == .requestTimeTooSkewed, !correctedClock, let date = response.headers["Date"],
                    self.skew.learn(serverDate: date, sent: sent, received: self.skew.localNow)
                {
                    // One immediate attempt with the corrected clock, outside the attempt limit and the quota.
                    correctedClock = true
                    self.counters.clockCorrections.add(1, ordering: .relaxed)
                    attempt -= 1
                    lastFailure = failure
                    continue
                }
                if failure.isRefusedSessionToken, !refreshedCredentials {
                    // Credentials can be revoked or expire before the expiry they carried (a session ended, a
                    // clock off): one immediate attempt with freshly fetched ones, outside the limit and the quota.
                    refreshedCredentials = true
                    self.credentials.invalidate()
                    self.counters.credentialRefreshes.add(1, ordering: .relaxed)
                    attempt -= 1
                    lastFailure = failure
                    continue
                }
            case .failure(let error):
                failure = S3Error(transport: error, operation: request.operation)
            }
            failure.attempts = attempt
            guard failure.isRetryable else {
                throw self.fail(failure)
            }
            guard ContinuousClock.now < deadline else {
                throw self.fail(Self.deadlineError(failure, attempts: attempt, operation: request.operation))
            }
            guard attempt < self.configuration.maxAttempts else {
                throw self.fail(failure)
            }
            guard let cost = self.retryQuota.acquire(afterTimeout: failure.isTimeout) else {
                let exhausted = S3Error(
                    failure.code,
                    failure.message + " (retry quota exhausted)",
                    httpStatus: failure.httpStatus,
                    requestID: failure.requestID,
                    hostID: failure.hostID,
                    attempts: attempt
                )
                throw self.fail(exhausted)
            }
            retryCost += cost
            let pause = RetryBackoff.delay(retry: attempt, random: Double.random(in: 0..<1))
            guard ContinuousClock.now + pause < deadline else {
                throw self.fail(Self.deadlineError(failure, attempts: attempt, operation: request.operation))
            }
            self.counters.retries.add(1, ordering: .relaxed)
            lastFailure = failure
            Self.sleep(pause)
        }
    }

    /// Signs a request with fresh credentials at the corrected current time.
    private func sign(_ request: S3Request) throws(S3Error) -> HTTPClientRequest {
        let credentials: AWSCredentials
        do {
            credentials = try self.credentials.credentials()
        } catch {
            throw self.fail(S3Error(.credentialsUnavailable, S3Error.singleLine("\(error)")))
        }
        let location = self.endpoint.location(bucket: request.bucket, key: request.key)
        let headers = [(name: "Host", value: location.hostHeader)] + request.headers
        let description = SigV4Request(
            method: request.method.rawValue,
            path: location.path,
            queryItems: request.query,
            headers: headers,
            payloadHash: request.payloadHash,
            signedHeaderNames: ["content-encoding"]
        )
        let signer = SigV4Signer(
            service: "s3",
            region: self.configuration.region,
            credentials: credentials,
            options: .s3
        )
        let signature: SigV4Signature
        do {
            signature = try signer.sign(description, at: self.skew.correctedNow)
        } catch {
            let code: S3Error.Code = error.code == .expiredCredentials ? .credentialsUnavailable : .signingFailed
            throw self.fail(S3Error(code, error.description))
        }
        var fields = HTTPHeaders()
        for header in headers + signature.headers {
            fields.add(name: header.name, value: header.value)
        }
        let target = request.query.isEmpty ? location.path : "\(location.path)?\(description.encodedQuery)"
        return HTTPClientRequest(
            method: request.method,
            host: location.host,
            port: location.port,
            target: target,
            headers: fields,
            body: request.body
        )
    }

    /// `HTTPClient.send` with its error typed (it only throws ``HTTPClientError``).
    private func sendTyped(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPResponse {
        do {
            return try self.http.send(request)
        } catch let error as HTTPClientError {
            throw error
        } catch {
            throw HTTPClientError(.ioFailed, detail: "\(error)")
        }
    }

    /// Counts a final failure and returns it.
    private func fail(_ error: S3Error) -> S3Error {
        self.counters.failures.add(1, ordering: .relaxed)
        return error
    }

    private static func deadlineError(_ last: S3Error?, attempts: Int, operation: String) -> S3Error {
        let cause = last.map { "; last failure: \($0.code)" + ($0.httpStatus.map { " (HTTP \($0))" } ?? "") } ?? ""
        return S3Error(
            .deadlineExceeded,
            "\(operation) did not succeed within its time budget (\(attempts) attempts)\(cause)",
            httpStatus: last?.httpStatus,
            requestID: last?.requestID,
            hostID: last?.hostID,
            attempts: attempts
        )
    }

    private static func sleep(_ pause: Duration) {
        let (seconds, attoseconds) = pause.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR {
            request = remaining
        }
    }
}
