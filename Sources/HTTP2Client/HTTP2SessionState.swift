import CNGHTTP2
import Dispatch
import HTTPCore

/// Everything an ``HTTP2Connection`` keeps under its lock: the nghttp2 session and the open streams.
///
/// nghttp2 calls back into ``Callbacks`` only from inside `nghttp2_session_mem_recv` and
/// `nghttp2_session_mem_send`, which run under the connection's lock with the session's user data pointing at
/// this value; so the callbacks read and change it without further locking. Waiters to wake are collected in
/// ``wakeups`` and signalled by the connection after the lock is released.
struct HTTP2SessionState: @unchecked Sendable {
    /// One request and its response as they progress.
    struct Stream {
        /// Signalled when ``outcome`` is set.
        let waiter: DispatchSemaphore
        /// The request body; DATA frames are cut from it as flow control allows.
        let requestBody: [UInt8]
        /// Bytes of ``requestBody`` handed to nghttp2 so far.
        var sentBodyBytes = 0
        /// Whether the HEADERS frame has left (before that the request may wait for a free stream slot).
        var isSent = false
        /// The last time a frame of this stream was sent or received.
        var lastProgress: ContinuousClock.Instant
        /// The final status, once received.
        var status: Int?
        /// The response header fields (pseudo-headers left out).
        var headers = HTTPHeaders()
        /// Header bytes received, counted against the limit.
        var headBytes = 0
        /// Whether the header block being received is an interim (1xx) response or trailers, which are skipped.
        var isSkippingBlock = false
        /// The response body so far.
        var body: [UInt8] = []
        /// The result, once the stream has ended or failed.
        var outcome: Result<HTTPResponse, HTTP2ClientError>?
    }

    /// The nghttp2 client session.
    let session: OpaquePointer
    /// The largest response header block accepted.
    let maxHeadBytes: Int
    /// The largest response body accepted.
    let maxBodyBytes: Int
    /// Open streams by stream id; a stream leaves the table when its requester collects the outcome or gives up.
    var streams: [Int32: Stream] = [:]
    /// Whether new streams may start: false after a `GOAWAY` either way, after a failure, and while closing.
    var isAccepting = true
    /// Whether the connection is closing; the reading thread stops once no stream is left (or at once when
    /// ``isForcedClose``).
    var isClosing = false
    /// Whether the reading thread must stop even with streams open.
    var isForcedClose = false
    /// Whether the threads have stopped (set by the reading thread as it leaves).
    var isStopped = false
    /// Whether the server's first SETTINGS frame arrived.
    var hasSettings = false
    /// The last time a stream ended, or the connection opened: the start of idleness.
    var idleSince: ContinuousClock.Instant
    /// The failure that ended the connection, if one did.
    var failure: HTTP2ClientError?
    /// The `GOAWAY` received: the last stream the server processes and its error code.
    var goAway: (lastStreamID: Int32, errorCode: UInt32)?
    /// Waiters to signal once the lock is released.
    var wakeups: [DispatchSemaphore] = []
    /// Whether the readiness of the connection (SETTINGS or failure) is to be announced after the lock.
    var announceReady = false

    /// Wraps a new session.
    init(session: OpaquePointer, maxHeadBytes: Int, maxBodyBytes: Int, now: ContinuousClock.Instant) {
        self.session = session
        self.maxHeadBytes = maxHeadBytes
        self.maxBodyBytes = maxBodyBytes
        self.idleSince = now
    }

    /// Sets a stream's outcome once and queues its waiter; later outcomes are ignored.
    mutating func finish(_ streamID: Int32, _ outcome: Result<HTTPResponse, HTTP2ClientError>) {
        guard var stream = self.streams[streamID], stream.outcome == nil else { return }
        stream.outcome = outcome
        self.streams[streamID] = stream
        self.wakeups.append(stream.waiter)
    }

    /// Fails a stream that broke a limit and asks the server to stop it (`RST_STREAM` `CANCEL`).
    mutating func cancel(_ streamID: Int32, _ error: HTTP2ClientError) {
        self.finish(streamID, .failure(error))
        let flags = UInt8(NGHTTP2_FLAG_NONE.rawValue)
        _ = nghttp2_submit_rst_stream(self.session, flags, streamID, NGHTTP2_CANCEL.rawValue)
    }

    /// Fails every stream still without an outcome: those not sent yet as ``HTTP2ClientError/Code/refused``,
    /// the others with `error`.
    mutating func failAll(_ error: HTTP2ClientError) {
        for (id, stream) in self.streams where stream.outcome == nil {
            let refused = HTTP2ClientError(.refused, "the connection ended before the request was sent")
            self.finish(id, .failure(stream.isSent ? error : refused))
        }
    }

    /// The number of streams whose outcome is not known yet.
    var openStreamCount: Int { self.streams.values.count { $0.outcome == nil } }
}
