import CNGHTTP2
import Dispatch
import Foundation
import HTTPClient
import HTTPCore
import Synchronization

/// One HTTP/2 connection carrying many concurrent streams for many threads.
///
/// Design: the nghttp2 session and the stream table live in one ``HTTP2SessionState`` behind a `Mutex`, held
/// only for work in memory. Two threads per connection do the I/O, so neither direction waits for the other:
/// the reading thread blocks in the transport's `read`, feeds what arrives to nghttp2 and wakes the streams that
/// finished; the writing thread sleeps until there is something to send (a new request, a `WINDOW_UPDATE`
/// that lets more body go, a SETTINGS acknowledgement), takes the frames from nghttp2 and writes them. A caller
/// submits its request under the lock, wakes the writer and waits on its own semaphore. The transport must
/// allow one reading and one writing thread at once (``TLSConnection`` and TCP do).
///
/// nghttp2 does the framing, HPACK, flow control (request bodies go out as the server's windows allow) and
/// `SETTINGS_MAX_CONCURRENT_STREAMS` (requests beyond it wait in nghttp2's queue until a stream closes).
final class HTTP2Connection: Sendable {
    /// How long the reading thread waits in one `read` before it looks at idleness and closing.
    private static let readSlice = Duration.milliseconds(250)
    /// The most bytes the writer takes from nghttp2 for one transport write.
    private static let writeBatchBytes = 256 << 10
    /// The connection-level receive window, in bytes.
    private static let connectionWindowBytes: Int32 = 16 << 20

    private let transport: any HTTPTransportConnection
    private let configuration: HTTP2Client.Configuration
    private let state: Mutex<HTTP2SessionState>
    private let writeWanted = DispatchSemaphore(value: 0)
    private let writerStopped = DispatchSemaphore(value: 0)
    private let ready = DispatchSemaphore(value: 0)

    /// Starts HTTP/2 on an open transport: sends the preface and SETTINGS and starts the two I/O threads.
    /// - Parameters:
    ///   - transport: A connection on which the server expects HTTP/2 (ALPN `h2`); owned from now on.
    ///   - configuration: Limits and timeouts.
    /// - Throws: ``HTTP2ClientError`` with `protocolError` when nghttp2 cannot create the session.
    init(transport: any HTTPTransportConnection, configuration: HTTP2Client.Configuration) throws(HTTP2ClientError) {
        guard let callbacks = HTTP2SessionState.Callbacks.make() else {
            transport.close()
            throw HTTP2ClientError(.protocolError, "nghttp2 cannot create its callbacks")
        }
        var session: OpaquePointer?
        let created = nghttp2_session_client_new(&session, callbacks, nil)
        nghttp2_session_callbacks_del(callbacks)
        guard created == 0, let session else {
            transport.close()
            throw HTTP2ClientError(.protocolError, "nghttp2 cannot create a session")
        }
        let window = UInt32(clamping: max(65_535, configuration.streamWindowBytes))
        var settings = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: window),
        ]
        _ = nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
        _ = nghttp2_session_set_local_window_size(
            session,
            UInt8(NGHTTP2_FLAG_NONE.rawValue),
            0,
            Self.connectionWindowBytes
        )
        self.transport = transport
        self.configuration = configuration
        self.state = Mutex(
            HTTP2SessionState(
                session: session,
                maxHeadBytes: configuration.maxResponseHeadBytes,
                maxBodyBytes: configuration.maxResponseBodyBytes,
                now: .now
            )
        )
        Thread.detachNewThread { [self] in self.writeLoop() }
        Thread.detachNewThread { [self] in self.readLoop() }
        self.writeWanted.signal()
    }

    deinit {
        self.state.withLock { nghttp2_session_del($0.session) }
    }

    /// Waits until the server's first SETTINGS frame has arrived: the server speaks HTTP/2.
    /// - Parameter timeout: The longest wait.
    /// - Throws: ``HTTP2ClientError``: `timeout`, or the failure that ended the connection.
    func waitUntilReady(timeout: Duration) throws(HTTP2ClientError) {
        _ = self.ready.wait(timeout: .now() + .milliseconds(Int(timeout.pollMilliseconds)))
        let (hasSettings, failure) = self.state.withLock { ($0.hasSettings, $0.failure) }
        if hasSettings { return }
        if let failure { throw failure }
        self.close()
        throw HTTP2ClientError(.timeout, "the server sent no HTTP/2 SETTINGS within the connect timeout")
    }

    /// Whether a new request may start here.
    var isAccepting: Bool { self.state.withLock { $0.isAccepting } }

    /// Closes the connection: open streams fail with ``HTTP2ClientError/Code/connectionLost``. Returns at once;
    /// the reading thread closes the transport within a fraction of a second.
    func close() {
        self.state.withLock { state in
            state.isAccepting = false
            state.isClosing = true
            state.isForcedClose = true
        }
    }

    /// Sends a request on a new stream and waits for the whole response.
    /// - Parameters:
    ///   - fields: The header block, pseudo-headers first (see ``HTTP2Request``).
    ///   - body: The request body; empty for none.
    /// - Returns: The final response.
    /// - Throws: ``HTTP2ClientError``: `refused` when the connection no longer takes requests (send it elsewhere),
    ///   `timeout` when the stream made no progress for ``HTTP2Client/Configuration/requestTimeout`` (the stream
    ///   is then cancelled), `streamReset`, `connectionLost`, `protocolError` or `responseTooLarge`.
    func send(fields: HTTP2Request, body: [UInt8]) throws(HTTP2ClientError) -> HTTPResponse {
        let waiter = DispatchSemaphore(value: 0)
        let submitted = self.withSession { state -> Result<Int32, HTTP2ClientError> in
            guard state.pointee.isAccepting else {
                return .failure(HTTP2ClientError(.refused, "the connection is going away"))
            }
            let id = fields.submit(to: state.pointee.session, hasBody: !body.isEmpty)
            guard id > 0 else {
                state.pointee.isAccepting = false
                let isExhausted = id == NGHTTP2_ERR_STREAM_ID_NOT_AVAILABLE.rawValue
                let reason = String(cString: nghttp2_strerror(id))
                return .failure(HTTP2ClientError(isExhausted ? .refused : .protocolError, "cannot submit: \(reason)"))
            }
            state.pointee.streams[id] = HTTP2SessionState.Stream(waiter: waiter, requestBody: body, lastProgress: .now)
            return .success(id)
        }
        let id = try submitted.get()
        self.writeWanted.signal()
        return try self.wait(for: id, waiter: waiter)
    }

    /// Waits for a stream's outcome, cancelling it after ``HTTP2Client/Configuration/requestTimeout`` without
    /// progress.
    private func wait(for id: Int32, waiter: DispatchSemaphore) throws(HTTP2ClientError) -> HTTPResponse {
        let timeout = self.configuration.requestTimeout
        while true {
            let now = ContinuousClock.now
            let step = self.withSession { state -> Result<HTTPResponse, HTTP2ClientError>? in
                guard let stream = state.pointee.streams[id] else {
                    return .failure(HTTP2ClientError(.connectionLost, "the stream vanished"))
                }
                if let outcome = stream.outcome {
                    state.pointee.streams[id] = nil
                    return outcome
                }
                guard stream.isSent, now - stream.lastProgress >= timeout else { return nil }
                // A stalled stream makes the connection suspect: later requests get a new one, and this one closes
                // once its other streams are done.
                state.pointee.isAccepting = false
                state.pointee.streams[id] = nil
                _ = nghttp2_submit_rst_stream(
                    state.pointee.session,
                    UInt8(NGHTTP2_FLAG_NONE.rawValue),
                    id,
                    NGHTTP2_CANCEL.rawValue
                )
                return .failure(HTTP2ClientError(.timeout, "no progress on the stream for \(timeout)"))
            }
            if let step {
                if case .failure(let error) = step, error.code == .timeout { self.writeWanted.signal() }
                return try step.get()
            }
            _ = waiter.wait(timeout: .now() + .milliseconds(Int(timeout.pollMilliseconds / 4) + 1))
        }
    }

    /// Runs `body` under the lock with the session's user data pointing at the state, then wakes the waiters
    /// and announces readiness as the callbacks asked.
    private func withSession<T: Sendable>(_ body: (UnsafeMutablePointer<HTTP2SessionState>) -> T) -> T {
        let (result, wakeups, announce) = self.state.withLock { state in
            withUnsafeMutablePointer(to: &state) { pointer in
                nghttp2_session_set_user_data(pointer.pointee.session, pointer)
                let result = body(pointer)
                nghttp2_session_set_user_data(pointer.pointee.session, nil)
                let wakeups = pointer.pointee.wakeups
                let announce = pointer.pointee.announceReady
                pointer.pointee.wakeups = []
                pointer.pointee.announceReady = false
                return (result, wakeups, announce)
            }
        }
        for waiter in wakeups { waiter.signal() }
        if announce { self.ready.signal() }
        return result
    }

    // MARK: - I/O threads

    /// The reading thread: feeds nghttp2 until the connection ends, then fails what is left and closes.
    private func readLoop() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 16)
        defer { buffer.deallocate() }
        var failure: HTTP2ClientError?
        while failure == nil {
            if self.shouldStopReading() { break }
            let count: Int
            do {
                count = try self.transport.read(into: buffer, timeout: Self.readSlice)
            } catch where error.code == .timeout {
                self.closeIfIdle()
                continue
            } catch {
                failure = HTTP2ClientError(.connectionLost, "reading failed: \(error)")
                break
            }
            guard count > 0 else {
                failure = HTTP2ClientError(.connectionLost, "the server closed the connection")
                break
            }
            let (fatal, wantsWrite) = self.withSession { state -> (HTTP2ClientError?, Bool) in
                let session = state.pointee.session
                let consumed = nghttp2_session_mem_recv(session, buffer.baseAddress, count)
                if consumed < 0 {
                    let reason = String(cString: nghttp2_strerror(Int32(truncatingIfNeeded: consumed)))
                    return (HTTP2ClientError(.protocolError, "the server broke HTTP/2: \(reason)"), true)
                }
                if let goAway = state.pointee.goAway, goAway.errorCode != NGHTTP2_NO_ERROR.rawValue {
                    let name = HTTP2ClientError.name(ofErrorCode: goAway.errorCode)
                    state.pointee.failAll(HTTP2ClientError(.connectionLost, "the server sent GOAWAY (\(name))"))
                }
                if !state.pointee.isAccepting, state.pointee.openStreamCount == 0 { state.pointee.isClosing = true }
                return (nil, nghttp2_session_want_write(session) != 0)
            }
            if wantsWrite { self.writeWanted.signal() }
            failure = fatal
        }
        self.stop(failure ?? HTTP2ClientError(.connectionLost, "the connection was closed"))
    }

    /// Whether the reading thread should leave: closing with no stream left, or forced.
    private func shouldStopReading() -> Bool {
        self.state.withLock { state in
            state.isForcedClose || (state.isClosing && state.openStreamCount == 0)
        }
    }

    /// Starts a graceful close (`GOAWAY` `NO_ERROR`) when no stream has been open for the idle timeout, or when
    /// the connection takes no more requests (after a `GOAWAY` or a stalled stream) and its last stream is done.
    private func closeIfIdle() {
        let idleTimeout = self.configuration.idleConnectionTimeout
        let closing = self.withSession { state -> Bool in
            let isIdle = state.pointee.isAccepting && state.pointee.streams.isEmpty
                && ContinuousClock.now - state.pointee.idleSince >= idleTimeout
            let isRetired = !state.pointee.isAccepting && state.pointee.openStreamCount == 0
            guard !state.pointee.isClosing, isIdle || isRetired else { return false }
            state.pointee.isAccepting = false
            state.pointee.isClosing = true
            _ = nghttp2_session_terminate_session(state.pointee.session, NGHTTP2_NO_ERROR.rawValue)
            return true
        }
        if closing { self.writeWanted.signal() }
    }

    /// Ends the connection: fails the remaining streams, lets the writer send what is queued and stop, closes the
    /// transport.
    private func stop(_ failure: HTTP2ClientError) {
        self.withSession { state in
            state.pointee.isAccepting = false
            state.pointee.isStopped = true
            let cause = state.pointee.failure ?? failure
            state.pointee.failure = cause
            state.pointee.failAll(cause)
            if !state.pointee.hasSettings { state.pointee.announceReady = true }
        }
        self.writeWanted.signal()
        self.writerStopped.wait()
        self.transport.close()
    }

    /// The writing thread: sends what nghttp2 has queued whenever woken, until the reader stops.
    private func writeLoop() {
        var isBroken = false
        while true {
            self.writeWanted.wait()
            while true {
                let (bytes, isStopped) = self.withSession { state -> ([UInt8], Bool) in
                    var bytes: [UInt8] = []
                    while bytes.count < Self.writeBatchBytes {
                        var frames: UnsafePointer<UInt8>?
                        let count = nghttp2_session_mem_send(state.pointee.session, &frames)
                        guard count > 0, let frames else { break }
                        bytes.append(contentsOf: UnsafeBufferPointer(start: frames, count: count))
                    }
                    return (bytes, state.pointee.isStopped)
                }
                guard !bytes.isEmpty else {
                    if isStopped {
                        self.writerStopped.signal()
                        return
                    }
                    break
                }
                guard !isBroken else { continue }
                let written = bytes.withUnsafeBytes { frames in
                    Result { () throws(HTTPClientError) in
                        try self.transport.write(
                            frames,
                            UnsafeRawBufferPointer(start: nil, count: 0),
                            timeout: self.configuration.requestTimeout
                        )
                    }
                }
                if case .failure(let error) = written {
                    isBroken = true
                    self.state.withLock { state in
                        state.failure = state.failure ?? HTTP2ClientError(.connectionLost, "writing failed: \(error)")
                        state.isAccepting = false
                        state.isForcedClose = true
                    }
                }
            }
        }
    }
}
