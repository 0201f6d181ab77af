import CLinux
import Dispatch
import Foundation
import Glibc
import Synchronization

/// Ignores SIGPIPE for the whole process, once; writes also pass `MSG_NOSIGNAL`.
private let ignoreSIGPIPE: Void = {
    _ = signal(SIGPIPE, SIG_IGN)
}()

/// An HTTP/1.1 server on POSIX sockets: one epoll reactor thread plus a bounded pool of worker threads.
///
/// The reactor owns the listening socket and every idle or keep-alive connection and reads request heads
/// without blocking, so slow clients never hold a worker while sending headers. A connection whose head is
/// complete goes to a worker, which reads the body (with a deadline and a minimum rate), calls the
/// ``HTTPRequestHandler``, writes the response and gives the connection back. Events go to an optional observer;
/// the server itself never logs.
///
/// ```swift
/// let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), handler: MyHandler())
/// try server.start()
/// print(server.boundPort)
/// server.shutdown(gracePeriod: .seconds(10))
/// ```
///
/// - Important: Call ``shutdown(gracePeriod:)`` before releasing a started server; its threads keep running
///   otherwise.
public final class HTTPServer: Sendable {
    private enum Lifecycle {
        case idle
        case starting
        case running(ServerContext)
        case stopping(ServerContext)
        case stopped
    }

    /// The configuration the server was created with.
    public let configuration: Configuration
    private let handler: any HTTPRequestHandler
    /// The TLS certificate and key when the server speaks TLS (HTTPS); `nil` for plain HTTP.
    public let tls: HTTPServerTLS?
    private let observer: HTTPServerObserver?
    private let lifecycle = Mutex(Lifecycle.idle)
    private let port = Atomic<Int>(0)
    private let reactorGroup = DispatchGroup()
    private let threadGroup = DispatchGroup()

    /// Creates a server; nothing is bound until ``start()``.
    /// - Parameters:
    ///   - configuration: The settings; see ``Configuration`` for defaults.
    ///   - handler: The application's request handler.
    ///   - observer: Receives connection, request and error events; `nil` for none.
    ///   - tls: The certificate and key to serve HTTPS with; `nil` (the default) serves plain HTTP. The handshake
    ///     happens on the reactor thread and counts against ``Configuration/headerReadTimeout``.
    public init(
        configuration: Configuration,
        handler: any HTTPRequestHandler,
        observer: HTTPServerObserver? = nil,
        tls: HTTPServerTLS? = nil
    ) {
        self.configuration = configuration
        self.handler = handler
        self.tls = tls
        self.observer = observer
    }

    /// The TCP port the server listens on; valid after ``start()`` returns (useful with port 0), else 0.
    public var boundPort: Int {
        self.port.load(ordering: .acquiring)
    }

    /// Requests waiting in a queue or being processed by a worker (0 unless running).
    public var requestsInFlight: Int {
        let context: ServerContext? = self.lifecycle.withLock { state in
            if case .running(let context) = state { return context }
            return nil
        }
        return context?.inFlightCount.load(ordering: .acquiring) ?? 0
    }

    /// Binds the listening socket, starts the reactor and worker threads, and returns.
    /// - Throws: ``HTTPServerError`` with `alreadyStarted`, `invalidConfiguration`, `invalidAddress`,
    ///   `socketFailed`, `bindFailed` or `listenFailed`.
    public func start() throws {
        try self.lifecycle.withLock { state throws(HTTPServerError) in
            guard case .idle = state else {
                throw HTTPServerError(.alreadyStarted)
            }
            state = .starting
        }
        do {
            let context = try self.launch()
            self.lifecycle.withLock { $0 = .running(context) }
        } catch {
            self.lifecycle.withLock { $0 = .idle }
            throw error
        }
    }

    /// Stops the server gracefully and returns when the reactor has finished.
    ///
    /// It stops accepting, closes idle connections, lets requests already received finish (their responses carry
    /// `Connection: close`) until `gracePeriod` has passed, then interrupts whatever remains. A handler still
    /// running after the grace period keeps its worker thread until it returns; ``waitUntilStopped()`` waits for
    /// that. Calling it again, from any thread, waits for the same shutdown. It does nothing before ``start()``
    /// or while ``start()`` is still running.
    ///
    /// - Note: Called from inside a handler, it cannot finish before that handler's own request, so it returns
    ///   only after the grace period.
    /// - Parameter gracePeriod: How long in-flight requests may take to finish.
    /// - Returns: The number of requests still running when the grace period ended, whose connections were closed
    ///   without a response (0 when everything finished in time, or when the server was not running).
    @discardableResult
    public func shutdown(gracePeriod: Duration) -> Int {
        let context: ServerContext? = self.lifecycle.withLock { state in
            switch state {
            case .running(let context):
                state = .stopping(context)
                return context
            case .stopping(let context):
                return context
            case .idle:
                state = .stopped
                return nil
            case .starting, .stopped:
                return nil
            }
        }
        guard let context else {
            return 0
        }
        context.beginDrain(deadline: .now + gracePeriod)
        self.reactorGroup.wait()
        self.lifecycle.withLock { $0 = .stopped }
        return context.interruptedAtDeadline.load(ordering: .acquiring)
    }

    /// Blocks until every server thread has exited (after ``shutdown(gracePeriod:)``); returns at once if the
    /// server was never started.
    public func waitUntilStopped() {
        self.threadGroup.wait()
    }

    private func launch() throws(HTTPServerError) -> ServerContext {
        try self.configuration.validate()
        _ = ignoreSIGPIPE
        let listener = try ListeningSocket.open(
            host: self.configuration.host,
            port: self.configuration.port,
            backlog: self.configuration.listenBacklog
        )
        let context: ServerContext
        do {
            context = try ServerContext(
                configuration: self.configuration,
                handler: self.handler,
                tls: self.tls,
                observer: self.observer
            )
        } catch {
            Syscall.close(listener.fd)
            throw error
        }
        let epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else {
            let code = errno
            Syscall.close(listener.fd)
            throw HTTPServerError(.socketFailed, errnoCode: code, detail: "epoll_create1")
        }
        for fd in [listener.fd, context.mailbox.eventFD] {
            var event = epoll_event()
            event.events = EPOLLIN.rawValue
            event.data.fd = fd
            guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
                let code = errno
                Syscall.close(listener.fd)
                Syscall.close(epollFD)
                throw HTTPServerError(.socketFailed, errnoCode: code, detail: "epoll_ctl")
            }
        }
        self.port.store(listener.port, ordering: .releasing)
        self.spawnThreads(context: context, listenFD: listener.fd, epollFD: epollFD)
        return context
    }

    private func spawnThreads(context: ServerContext, listenFD: Int32, epollFD: Int32) {
        let reactorGroup = self.reactorGroup
        let threadGroup = self.threadGroup
        var queues = Array(repeating: (context.workQueue, "http-worker"), count: self.configuration.workerCount)
        if let controlQueue = context.controlQueue {
            queues += Array(repeating: (controlQueue, "http-control"), count: Configuration.controlWorkerCount)
        }
        for (index, (queue, name)) in queues.enumerated() {
            threadGroup.enter()
            let thread = Thread {
                Worker(context: context).run(queue)
                threadGroup.leave()
            }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
        threadGroup.enter()
        reactorGroup.enter()
        let reactor = Thread {
            Reactor(context: context, listenFD: listenFD, epollFD: epollFD).run()
            reactorGroup.leave()
            threadGroup.leave()
        }
        reactor.name = "http-reactor"
        reactor.start()
    }
}
