import Glibc
import HTTPCore
import Synchronization

/// One worker thread: reads a request body, runs the handler, writes the response, and gives the connection back
/// to the reactor (keep-alive or linger) or closes it. All its state is confined to its own thread.
final class Worker {
    /// What happens to a connection once its request is done.
    private enum Disposition {
        case keepAlive
        case linger
        case close
    }

    /// Why a body could not be read.
    private struct BodyFailure: Error {
        /// The error to report.
        let error: HTTPServerError
        /// Whether the client can still be sent an error response.
        let canRespond: Bool
    }

    private static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private let context: ServerContext
    private let configuration: HTTPServer.Configuration
    private let scratch: UnsafeMutableRawBufferPointer

    /// Creates a worker; call ``run()`` on its thread.
    /// - Parameter context: The shared server state.
    init(context: ServerContext) {
        self.context = context
        self.configuration = context.configuration
        self.scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
    }

    deinit {
        self.scratch.deallocate()
    }

    /// Processes jobs until the queue closes.
    /// - Parameter queue: The queue to take jobs from (the work queue, or the control queue).
    func run(_ queue: WorkQueue) {
        while let job = queue.pop() {
            self.process(job)
        }
    }

    private func process(_ job: RequestJob) {
        var connection = job.connection
        connection.requestCount += 1
        let head = job.head
        self.context.emit(.requestStarted(connectionID: connection.id, head: head))
        let waited = ContinuousClock.now - job.receivedAt
        if waited > self.configuration.queueWaitTimeout {
            let error = HTTPServerError.queueTimeout(waited: waited)
            self.fail(BodyFailure(error: error, canRespond: true), job: job, connection: connection)
            return
        }
        if Self.declaresBody(job.framing), let early = self.context.handler.answerBeforeBody(head) {
            let written = self.write(early, head: head, closeConnection: true, connection: connection)
            self.report(
                job: job,
                connection: connection,
                status: early.status,
                requestBodyBytes: 0,
                responseBodyBytes: early.body.count,
                written: written,
                closed: true
            )
            self.finish(connection, disposition: written ? .linger : .close)
            return
        }
        let body: [UInt8]
        switch self.readBody(job.framing, head: head, connection: &connection) {
        case .success(let bytes):
            body = bytes
        case .failure(let failure):
            self.fail(failure, job: job, connection: connection)
            return
        }
        let request = HTTPRequest(head: head, body: body, remoteAddress: connection.remoteAddress)
        let response = self.context.handler.handle(request)
        let closeAfter =
            !head.isKeepAlive || self.context.isDraining.load(ordering: .acquiring)
            || response.headers.containsToken("close", in: "Connection")
        let written = self.write(response, head: head, closeConnection: closeAfter, connection: connection)
        self.report(
            job: job,
            connection: connection,
            status: response.status,
            requestBodyBytes: body.count,
            responseBodyBytes: response.body.count,
            written: written,
            closed: closeAfter
        )
        self.finish(connection, disposition: written && !closeAfter ? .keepAlive : .close)
    }

    // MARK: - Body

    private func readBody(
        _ framing: HTTPBodyFraming,
        head: HTTPRequestHead,
        connection: inout ConnectionState
    ) -> Result<[UInt8], BodyFailure> {
        switch framing {
        case .none, .untilClose:
            return .success([])
        case .contentLength(let length):
            guard length <= self.configuration.maxBodyBytes else {
                return .failure(BodyFailure(error: HTTPServerError(.bodyTooLarge), canRespond: true))
            }
            if head.expectsContinue, connection.pending.count < length, let failure = self.sendContinue(connection) {
                return .failure(failure)
            }
            return self.readFixedBody(length: length, connection: &connection)
        case .chunked:
            if head.expectsContinue, connection.pending.isEmpty, let failure = self.sendContinue(connection) {
                return .failure(failure)
            }
            return self.readChunkedBody(connection: &connection)
        }
    }

    private func sendContinue(_ connection: ConnectionState) -> BodyFailure? {
        let failure = Self.continueResponse.withUnsafeBytes { bytes in
            ConnectionIO.writeAll(
                connection.fd,
                tls: connection.tls,
                bytes,
                UnsafeRawBufferPointer(start: nil, count: 0),
                until: .now + self.configuration.writeTimeout
            )
        }
        guard let failure else {
            return nil
        }
        return BodyFailure(error: Self.writeError(failure), canRespond: false)
    }

    private func readFixedBody(length: Int, connection: inout ConnectionState) -> Result<[UInt8], BodyFailure> {
        let fromPending = min(length, connection.pending.count)
        let clock = BodyClock(configuration: self.configuration)
        var failure: BodyFailure?
        let fd = connection.fd
        let tls = connection.tls
        let body = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            connection.pending.withUnsafeBytes { pending in
                raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: pending[0..<fromPending]))
            }
            initialized = fromPending
            while initialized < length {
                let destination = UnsafeMutableRawBufferPointer(rebasing: raw[initialized..<length])
                switch self.readSome(fd, tls: tls, into: destination, clock: clock, received: initialized) {
                case .success(let count):
                    initialized += count
                case .failure(let error):
                    failure = error
                    return
                }
            }
        }
        connection.pending.removeFirst(fromPending)
        if let failure {
            return .failure(failure)
        }
        return .success(body)
    }

    private func readChunkedBody(connection: inout ConnectionState) -> Result<[UInt8], BodyFailure> {
        var decoder = ChunkedDecoder(maxBodyBytes: self.configuration.maxBodyBytes)
        var body: [UInt8] = []
        let clock = BodyClock(configuration: self.configuration)
        var input = connection.pending
        connection.pending = []
        var received = 0
        while true {
            let decoded = input.withUnsafeBytes { raw in
                Result { () throws(HTTPParseError) -> Int in try decoder.decode(raw, into: &body) }
            }
            switch decoded {
            case .failure(let parseError):
                let error =
                    parseError.code == .bodyTooLarge
                    ? HTTPServerError(.bodyTooLarge) : HTTPServerError(.invalidRequest, parseError: parseError)
                return .failure(BodyFailure(error: error, canRespond: true))
            case .success(let consumed):
                if decoder.isComplete {
                    connection.pending = Array(input[consumed...])
                    return .success(body)
                }
            }
            let outcome = self.readSome(
                connection.fd,
                tls: connection.tls,
                into: self.scratch,
                clock: clock,
                received: received
            )
            switch outcome {
            case .success(let count):
                received += count
                input = Array(UnsafeRawBufferPointer(rebasing: self.scratch[0..<count]))
            case .failure(let failure):
                return .failure(failure)
            }
        }
    }

    /// Reads some body bytes, enforcing the body deadline and the minimum rate.
    private func readSome(
        _ fd: Int32,
        tls: TLSSession?,
        into buffer: UnsafeMutableRawBufferPointer,
        clock: BodyClock,
        received: Int
    ) -> Result<Int, BodyFailure> {
        while true {
            let now = ContinuousClock.now
            guard clock.isWithinLimits(received: received, now: now) else {
                return .failure(BodyFailure(error: HTTPServerError(.bodyTimeout), canRespond: true))
            }
            let result = Result { () throws(ConnectionIO.Failure) -> Int in
                try ConnectionIO.read(fd, tls: tls, into: buffer, until: clock.nextCheck(after: now))
            }
            switch result {
            case .success(let count):
                guard clock.isWithinLimits(received: received + count, now: .now) else {
                    return .failure(BodyFailure(error: HTTPServerError(.bodyTimeout), canRespond: true))
                }
                return .success(count)
            case .failure(.timedOut):
                continue
            case .failure(.endOfFile):
                let error = HTTPServerError(.readFailed, parseError: HTTPParseError(.incompleteMessage))
                return .failure(BodyFailure(error: error, canRespond: false))
            case .failure(.failed(let code)):
                return .failure(BodyFailure(error: HTTPServerError(.readFailed, errnoCode: code), canRespond: false))
            }
        }
    }

    // MARK: - Responses

    private func write(
        _ response: HTTPResponse,
        head: HTTPRequestHead,
        closeConnection: Bool,
        connection: ConnectionState
    ) -> Bool {
        let headBytes = ResponseSerializer.serializeHead(
            response,
            closeConnection: closeConnection,
            requestVersion: head.version,
            date: HTTPDate.now()
        )
        let sendsBody = head.method != .head && ResponseSerializer.allowsBody(response.status)
        let failure = headBytes.withUnsafeBytes { headRaw in
            response.body.withUnsafeBytes { bodyRaw in
                ConnectionIO.writeAll(
                    connection.fd,
                    tls: connection.tls,
                    headRaw,
                    sendsBody ? bodyRaw : UnsafeRawBufferPointer(start: nil, count: 0),
                    until: .now + self.configuration.writeTimeout
                )
            }
        }
        guard let failure else {
            return true
        }
        self.context.emit(.serverError(connectionID: connection.id, error: Self.writeError(failure), head: head))
        return false
    }

    private func fail(_ failure: BodyFailure, job: RequestJob, connection: ConnectionState) {
        guard failure.canRespond else {
            self.context.emit(.serverError(connectionID: connection.id, error: failure.error, head: job.head))
            self.finish(connection, disposition: .close)
            return
        }
        let response = self.context.errorResponse(failure.error, head: job.head, connectionID: connection.id)
        let written = self.write(response, head: job.head, closeConnection: true, connection: connection)
        self.report(
            job: job,
            connection: connection,
            status: response.status,
            requestBodyBytes: 0,
            responseBodyBytes: response.body.count,
            written: written,
            closed: true
        )
        self.finish(connection, disposition: written ? .linger : .close)
    }

    private func report(
        job: RequestJob,
        connection: ConnectionState,
        status: HTTPStatus,
        requestBodyBytes: Int,
        responseBodyBytes: Int,
        written: Bool,
        closed: Bool
    ) {
        let summary = HTTPServerRequestSummary(
            connectionID: connection.id,
            method: job.head.method,
            path: job.head.path,
            status: status,
            requestBodyBytes: requestBodyBytes,
            responseBodyBytes: responseBodyBytes,
            duration: .now - job.receivedAt,
            responseWritten: written,
            closedConnection: closed
        )
        self.context.emit(.requestFinished(summary))
    }

    /// Releases the connection: back to the reactor, or closed here.
    private func finish(_ connection: ConnectionState, disposition: Disposition) {
        self.context.inFlight.remove(connection.fd)
        switch disposition {
        case .keepAlive:
            if !self.context.mailbox.post(.resume(connection)) {
                self.context.close(connection)
            }
        case .linger:
            connection.tls?.sendCloseNotify()
            Syscall.shutdownWrite(connection.fd)
            if !self.context.mailbox.post(.linger(connection)) {
                self.context.close(connection)
            }
        case .close:
            self.context.close(connection)
        }
        self.context.requestFinished()
    }

    /// Whether a request framed this way has body bytes to read (an empty `Content-Length` body costs nothing).
    private static func declaresBody(_ framing: HTTPBodyFraming) -> Bool {
        switch framing {
        case .none, .untilClose, .contentLength(0): false
        case .contentLength, .chunked: true
        }
    }

    private static func writeError(_ failure: ConnectionIO.Failure) -> HTTPServerError {
        switch failure {
        case .timedOut: HTTPServerError(.writeTimeout)
        case .endOfFile: HTTPServerError(.writeFailed)
        case .failed(let code): HTTPServerError(.writeFailed, errnoCode: code)
        }
    }
}

/// The body deadline and minimum-rate rule for one request.
private struct BodyClock {
    let start: ContinuousClock.Instant
    let deadline: ContinuousClock.Instant
    let graceEnd: ContinuousClock.Instant
    let minimumBytesPerSecond: Int

    init(configuration: HTTPServer.Configuration) {
        self.start = .now
        self.deadline = self.start + configuration.bodyReadTimeout
        self.graceEnd = self.start + configuration.bodyRateGracePeriod
        self.minimumBytesPerSecond = configuration.minimumBodyBytesPerSecond
    }

    /// Whether `received` bytes by `now` satisfy the deadline and, after the grace period, the minimum rate
    /// counted from the end of the grace period.
    func isWithinLimits(received: Int, now: ContinuousClock.Instant) -> Bool {
        if now >= self.deadline {
            return false
        }
        guard self.minimumBytesPerSecond > 0, now > self.graceEnd else {
            return true
        }
        let (seconds, attoseconds) = (now - self.graceEnd).components
        let elapsed = Double(seconds) + Double(attoseconds) / 1e18
        return Double(received) >= Double(self.minimumBytesPerSecond) * elapsed
    }

    /// When to wake up next to re-check the limits while waiting for data.
    func nextCheck(after now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        min(self.deadline, now + .milliseconds(250))
    }
}
