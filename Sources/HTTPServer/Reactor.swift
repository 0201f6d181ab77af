import CLinux
import Glibc
import HTTPCore
import Synchronization

/// The reactor thread: owns the listening socket and every connection that is not with a worker.
///
/// It accepts connections, reads request heads without blocking (so a slow client never holds a worker while it
/// sends headers), enforces the header and keep-alive timeouts by scanning deadlines each `epoll_wait` tick,
/// hands connections with a complete head to the work queue, answers overload and malformed heads itself, and
/// lingers on connections after error responses. With TLS it also runs each handshake without blocking, inside
/// the header deadline, so a client that never completes it never reaches a worker. All its state is confined to
/// its own thread.
final class Reactor {
    /// Unsent response bytes above which a kept-alive connection is parked instead of serving its next request.
    /// A client that reads its responses keeps this near zero; one that pipelines requests and never reads
    /// reaches it after a few responses, long before a worker's write would block on a full socket buffer.
    static let parkingThreshold = 16 << 10
    /// Bytes discarded from a lingering connection before it is closed regardless of the linger time.
    private static let lingerDiscardLimit = 16 << 20
    /// The longest single `epoll_wait`, so deadline scans happen at least this often.
    static let maximumTick = Duration.seconds(1)
    /// How long accepting pauses after `accept` fails with a resource error such as `EMFILE`.
    private static let acceptPause = Duration.milliseconds(100)

    /// State shared with the workers and the server.
    let context: ServerContext
    let configuration: HTTPServer.Configuration
    let limits: HTTPHeadLimits
    /// The epoll instance.
    let epollFD: Int32
    /// The listening socket, or -1 once closed.
    var listenFD: Int32
    /// Connections the reactor owns, by descriptor.
    var connections: [Int32: Connection] = [:]
    private let scratch: UnsafeMutableRawBufferPointer
    private let events: UnsafeMutableBufferPointer<epoll_event>
    /// When deadlines are scanned next.
    var nextScan: ContinuousClock.Instant
    /// Accepting resumes at this time after a resource error.
    var acceptPausedUntil: ContinuousClock.Instant?
    /// Whether shutdown has begun.
    var isDrainStarted = false

    /// Creates the reactor; call ``run()`` on its thread.
    /// - Parameters:
    ///   - context: The shared server state.
    ///   - listenFD: The listening socket, already registered with `epollFD`.
    ///   - epollFD: The epoll instance, with the listening socket and the mailbox eventfd registered.
    init(context: ServerContext, listenFD: Int32, epollFD: Int32) {
        self.context = context
        self.configuration = context.configuration
        self.limits = HTTPHeadLimits(
            maxHeadBytes: context.configuration.maxHeadBytes,
            maxHeaderCount: context.configuration.maxHeaderCount
        )
        self.listenFD = listenFD
        self.epollFD = epollFD
        self.scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        self.events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: 256)
        self.nextScan = .now + Self.maximumTick
    }

    deinit {
        self.scratch.deallocate()
        self.events.deallocate()
    }

    /// Runs the event loop until shutdown completes, then closes everything the reactor owns.
    func run() {
        while true {
            let count = epoll_wait(self.epollFD, self.events.baseAddress, Int32(self.events.count), self.pollTimeout())
            if count < 0 {
                let code = errno
                guard code == EINTR else {
                    // Only a programming error (EBADF, EINVAL) gets here; stop serving rather than spin.
                    let error = HTTPServerError(.socketFailed, errnoCode: code, detail: "epoll_wait")
                    self.context.emit(.serverError(connectionID: nil, error: error, head: nil))
                    break
                }
            }
            for index in 0..<max(0, Int(count)) {
                self.dispatchEvent(fd: self.events[index].data.fd, events: self.events[index].events)
            }
            let now = ContinuousClock.now
            if let paused = self.acceptPausedUntil, now >= paused {
                self.acceptPausedUntil = nil
                if self.listenFD >= 0, !self.register(self.listenFD) {
                    self.acceptPausedUntil = now + Self.acceptPause
                }
            }
            if now >= self.nextScan {
                self.expireConnections(now: now)
            }
            if self.context.isDraining.load(ordering: .acquiring), self.drainStep(now: now) {
                break
            }
        }
        self.finish()
    }

    // MARK: - Events

    private func dispatchEvent(fd: Int32, events: UInt32) {
        if fd == self.listenFD {
            self.acceptConnections()
        } else if fd == self.context.mailbox.eventFD {
            for message in self.context.mailbox.drain() {
                self.adopt(message)
            }
        } else if let connection = self.connections[fd] {
            switch connection.phase {
            case .lingering:
                self.discardInput(connection)
            case .handshaking:
                self.advanceHandshake(connection)
            case .parked:
                // An error or hang-up ends it: the unsent count need not drop after a reset, and the level-triggered
                // report would repeat on every tick.
                if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
                    self.closeConnection(connection)
                } else {
                    self.resumeIfDrained(connection)
                }
            case .idle, .readingHead:
                self.readHead(connection)
            }
        }
    }

    private func acceptConnections() {
        for _ in 0..<64 {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(self.listenFD, $0, &length) }
            }
            guard fd >= 0 else {
                let code = errno
                switch code {
                case EINTR, ECONNABORTED, EPROTO:
                    continue
                case EAGAIN, EWOULDBLOCK:
                    return
                default:
                    // EMFILE, ENFILE, ENOBUFS, ENOMEM: the level-triggered listener would spin, so pause it.
                    self.context.emit(
                        .serverError(
                            connectionID: nil,
                            error: HTTPServerError(.acceptFailed, errnoCode: code),
                            head: nil
                        )
                    )
                    _ = epoll_ctl(self.epollFD, EPOLL_CTL_DEL, self.listenFD, nil)
                    self.acceptPausedUntil = .now + Self.acceptPause
                    return
                }
            }
            // Accepted sockets do not inherit O_NONBLOCK; accept4 is not visible through the Glibc module.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            self.accepted(fd: fd, remoteAddress: SocketAddress.describe(storage).text)
        }
    }

    private func accepted(fd: Int32, remoteAddress: String) {
        Syscall.setOption(fd, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
        let tls = self.context.tls?.makeSession(fd: fd)
        let state = ConnectionState(
            fd: fd,
            id: self.context.makeConnectionID(),
            remoteAddress: remoteAddress,
            requestCount: 0,
            pending: [],
            tls: tls
        )
        let openCount = self.context.openConnectionCount.wrappingAdd(1, ordering: .relaxed).newValue
        self.context.emit(.connectionOpened(connectionID: state.id, remoteAddress: remoteAddress))
        let isTLS = self.context.tls != nil
        // Without a TLS session no response can be sent, so an over-limit TLS connection is just closed.
        guard self.register(fd), !isTLS || (tls != nil && openCount <= self.configuration.maxConnections) else {
            self.context.close(state)
            return
        }
        let connection = Connection(
            state: state,
            phase: isTLS ? .handshaking : .idle,
            deadline: .now + self.configuration.headerReadTimeout,
            isFresh: true,
            limits: self.limits
        )
        self.connections[fd] = connection
        if openCount > self.configuration.maxConnections {
            self.respondAndLinger(connection, error: HTTPServerError(.tooManyConnections), head: nil)
        } else {
            self.noteDeadline(connection.deadline)
        }
    }

    private func readHead(_ connection: Connection) {
        // A plain connection reads once per readiness event; a TLS connection reads again while OpenSSL holds
        // decrypted bytes, because the socket will not signal them.
        for _ in 0..<16 {
            switch self.receive(connection) {
            case .wouldBlock:
                return
            case .endOfFile:
                self.closeConnection(connection)
                return
            case .failed(let code):
                if !connection.state.pending.isEmpty {
                    let error = HTTPServerError(.readFailed, errnoCode: code)
                    self.context.emit(.serverError(connectionID: connection.state.id, error: error, head: nil))
                }
                self.closeConnection(connection)
                return
            case .bytes(let count):
                if connection.phase == .idle {
                    connection.phase = .readingHead
                    if !connection.isFresh {
                        connection.deadline = .now + self.configuration.headerReadTimeout
                        self.noteDeadline(connection.deadline)
                    }
                }
                connection.state.pending.append(
                    contentsOf: UnsafeRawBufferPointer(rebasing: self.scratch[0..<count])
                )
                self.parseHead(connection)
                guard self.hasBufferedTLSInput(connection) else {
                    return
                }
            }
        }
    }

    /// Reads once from the socket, or through the TLS session, without blocking.
    private func receive(_ connection: Connection) -> Syscall.IOResult {
        guard let tls = connection.state.tls else {
            return Syscall.read(connection.state.fd, into: self.scratch)
        }
        switch tls.read(into: self.scratch) {
        case .bytes(let count):
            self.watchWritable(connection, false)
            return .bytes(count)
        case .endOfFile:
            return .endOfFile
        case .wantRead:
            self.watchWritable(connection, false)
            return .wouldBlock
        case .wantWrite:
            self.watchWritable(connection, true)
            return .wouldBlock
        case .failed(let code, _):
            return .failed(code)
        }
    }

    /// Whether the reactor still owns a connection reading a head and its TLS session holds unread input.
    private func hasBufferedTLSInput(_ connection: Connection) -> Bool {
        guard let tls = connection.state.tls, connection.phase == .idle || connection.phase == .readingHead,
            self.connections[connection.state.fd] === connection
        else {
            return false
        }
        return tls.hasBufferedInput
    }

    /// Runs the TLS handshake as far as it goes without blocking.
    private func advanceHandshake(_ connection: Connection) {
        guard let tls = connection.state.tls else {
            return
        }
        switch tls.handshake() {
        case .bytes:
            connection.phase = .idle
            self.watchWritable(connection, false)
            // The request may have arrived together with the end of the handshake.
            self.readHead(connection)
        case .wantRead:
            self.watchWritable(connection, false)
        case .wantWrite:
            self.watchWritable(connection, true)
        case .endOfFile:
            self.closeConnection(connection)
        case .failed(let code, let reason):
            let error = HTTPServerError(.tlsHandshakeFailed, errnoCode: code, detail: reason)
            self.context.emit(.serverError(connectionID: connection.state.id, error: error, head: nil))
            self.closeConnection(connection)
        }
    }

    /// Switches epoll between readability and writability for a TLS connection.
    private func watchWritable(_ connection: Connection, _ writable: Bool) {
        guard connection.watchesWritable != writable else {
            return
        }
        connection.watchesWritable = writable
        var event = epoll_event()
        event.events = writable ? EPOLLOUT.rawValue : EPOLLIN.rawValue
        event.data.fd = connection.state.fd
        _ = epoll_ctl(self.epollFD, EPOLL_CTL_MOD, connection.state.fd, &event)
    }

    private func parseHead(_ connection: Connection) {
        let result = connection.state.pending.withUnsafeBytes { raw in
            Result { () throws(HTTPParseError) -> RequestHeadParser.ParseResult in try connection.parser.parse(raw) }
        }
        switch result {
        case .failure(let parseError):
            self.respondAndLinger(
                connection,
                error: HTTPServerError(.invalidRequest, parseError: parseError),
                head: nil
            )
        case .success(.needMoreData):
            return
        case .success(.complete(let head, let consumed)):
            connection.state.pending.removeFirst(consumed)
            let framing: HTTPBodyFraming
            do {
                framing = try HTTPBodyFraming.forRequest(head)
            } catch {
                self.respondAndLinger(
                    connection,
                    error: HTTPServerError(.invalidRequest, parseError: error),
                    head: head
                )
                return
            }
            self.handOff(connection, head: head, framing: framing)
        }
    }

    private func handOff(_ connection: Connection, head: HTTPRequestHead, framing: HTTPBodyFraming) {
        let fd = connection.state.fd
        _ = epoll_ctl(self.epollFD, EPOLL_CTL_DEL, fd, nil)
        self.connections[fd] = nil
        let job = RequestJob(connection: connection.state, head: head, framing: framing, receivedAt: .now)
        self.context.inFlightCount.add(1, ordering: .relaxed)
        self.context.inFlight.insert(fd)
        if self.context.queue(for: head, framing: framing).tryPush(job) {
            self.noteDeadline(job.receivedAt + self.configuration.queueWaitTimeout)
            return
        }
        self.context.inFlight.remove(fd)
        self.context.inFlightCount.subtract(1, ordering: .relaxed)
        guard self.register(fd) else {
            self.context.close(connection.state)
            return
        }
        self.connections[fd] = connection
        self.respondAndLinger(connection, error: HTTPServerError(.queueFull), head: head)
    }

    private func adopt(_ message: MailboxMessage) {
        let state: ConnectionState
        let phase: Phase
        switch message {
        case .resume(let resumed):
            state = resumed
            phase = Syscall.unsentBytes(resumed.fd) > Self.parkingThreshold ? .parked : .idle
        case .linger(let lingering):
            state = lingering
            phase = .lingering
        }
        guard !self.isDrainStarted, self.register(state.fd) else {
            self.context.close(state)
            return
        }
        let timeout = phase == .lingering ? self.configuration.lingerTimeout : self.configuration.writeTimeout
        let connection = Connection(
            state: state,
            phase: phase,
            deadline: .now + timeout,
            isFresh: false,
            limits: self.limits
        )
        self.connections[state.fd] = connection
        switch phase {
        case .lingering:
            connection.state.pending = []
            self.noteDeadline(connection.deadline)
        case .parked:
            // epoll reports writability only once fewer unsent bytes than the threshold remain.
            let threshold = Int32(Self.parkingThreshold)
            Syscall.setOption(state.fd, level: Int32(IPPROTO_TCP), name: TCP_NOTSENT_LOWAT, value: threshold)
            self.watchWritable(connection, true)
            self.noteDeadline(connection.deadline)
        case .idle, .readingHead, .handshaking:
            self.awaitRequest(connection)
        }
    }

    /// Serves the next request of a parked connection once its unsent responses have drained.
    private func resumeIfDrained(_ connection: Connection) {
        guard Syscall.unsentBytes(connection.state.fd) <= Self.parkingThreshold else {
            return
        }
        // 0 restores the system's default (no low-water mark).
        Syscall.setOption(connection.state.fd, level: Int32(IPPROTO_TCP), name: TCP_NOTSENT_LOWAT, value: 0)
        self.watchWritable(connection, false)
        self.awaitRequest(connection)
    }

    /// Waits for the next request of a kept-alive connection, or parses it when it is already buffered.
    private func awaitRequest(_ connection: Connection) {
        let isIdle = connection.state.pending.isEmpty
        connection.phase = isIdle ? .idle : .readingHead
        connection.deadline =
            .now + (isIdle ? self.configuration.keepAliveIdleTimeout : self.configuration.headerReadTimeout)
        self.noteDeadline(connection.deadline)
        if !isIdle {
            self.parseHead(connection)
        }
        if self.hasBufferedTLSInput(connection) {
            self.readHead(connection)
        }
    }

    // MARK: - Errors, lingering and closing

    /// Sends the handler's error response without waiting, shuts down the write side and lingers.
    func respondAndLinger(_ connection: Connection, error: HTTPServerError, head: HTTPRequestHead?) {
        self.sendErrorResponse(connection, error: error, head: head)
        connection.state.tls?.sendCloseNotify()
        Syscall.shutdownWrite(connection.state.fd)
        self.watchWritable(connection, false)
        connection.phase = .lingering
        connection.state.pending = []
        connection.deadline = .now + self.configuration.lingerTimeout
        self.noteDeadline(connection.deadline)
    }

    /// Writes the handler's error response without waiting (a response that does not fit is cut short).
    func sendErrorResponse(_ connection: Connection, error: HTTPServerError, head: HTTPRequestHead?) {
        let response = self.context.errorResponse(error, head: head, connectionID: connection.state.id)
        let bytes = ResponseSerializer.serialize(
            response,
            closeConnection: true,
            requestVersion: head?.version ?? .http1_1,
            includeBody: head?.method != .head,
            date: HTTPDate.now()
        )
        if let tls = connection.state.tls {
            _ = bytes.withUnsafeBytes { tls.write($0) }
        } else {
            _ = Syscall.sendWithoutWaiting(connection.state.fd, bytes)
        }
    }

    private func discardInput(_ connection: Connection) {
        for _ in 0..<16 {
            switch Syscall.read(connection.state.fd, into: self.scratch) {
            case .bytes(let count):
                connection.discardedBytes += count
                if connection.discardedBytes > Self.lingerDiscardLimit {
                    self.closeConnection(connection)
                    return
                }
            case .wouldBlock:
                return
            case .endOfFile, .failed:
                self.closeConnection(connection)
                return
            }
        }
    }

    /// Forgets and closes a connection.
    func closeConnection(_ connection: Connection) {
        self.connections[connection.state.fd] = nil
        self.context.close(connection.state)
    }

    func register(_ fd: Int32) -> Bool {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = fd
        return epoll_ctl(self.epollFD, EPOLL_CTL_ADD, fd, &event) == 0
    }
}
