import HTTPCore
import Synchronization

/// State shared by the reactor and the workers of one running server.
final class ServerContext: Sendable {
    /// The validated configuration.
    let configuration: HTTPServer.Configuration
    /// The application handler.
    let handler: any HTTPRequestHandler
    /// The TLS certificate and key when the server speaks TLS; `nil` for plain HTTP.
    let tls: HTTPServerTLS?
    /// Workers hand connections back to the reactor here.
    let mailbox: ReactorMailbox
    /// Complete request heads waiting for a worker.
    let workQueue: WorkQueue
    /// Control requests (``HTTPServer/Configuration/controlPaths``) waiting for a control worker; `nil` when
    /// there are no control paths.
    let controlQueue: WorkQueue?
    /// Descriptors owned by workers.
    let inFlight: InFlightRegistry
    /// Open connections, wherever they are (reactor, queue, worker, lingering).
    let openConnectionCount = Atomic<Int>(0)
    /// Requests queued or being processed by a worker.
    let inFlightCount = Atomic<Int>(0)
    /// Set once shutdown starts; workers then close connections instead of keeping them alive.
    let isDraining = Atomic<Bool>(false)
    /// Requests still running when the grace period ended (their connections were closed without a response).
    let interruptedAtDeadline = Atomic<Int>(0)
    private let observer: HTTPServerObserver?
    private let nextConnectionID = Atomic<UInt64>(1)
    private let drainDeadline = Mutex<ContinuousClock.Instant?>(nil)

    /// Creates the shared state.
    /// - Parameters:
    ///   - configuration: The validated configuration.
    ///   - handler: The application handler.
    ///   - tls: The TLS certificate and key, or `nil` for plain HTTP.
    ///   - observer: The event observer, if any.
    /// - Throws: ``HTTPServerError`` when the mailbox's eventfd cannot be created.
    init(
        configuration: HTTPServer.Configuration,
        handler: any HTTPRequestHandler,
        tls: HTTPServerTLS?,
        observer: HTTPServerObserver?
    ) throws(HTTPServerError) {
        self.configuration = configuration
        self.handler = handler
        self.tls = tls
        self.observer = observer
        self.mailbox = try ReactorMailbox()
        self.workQueue = WorkQueue(
            capacity: configuration.effectiveWorkQueueCapacity,
            workerCount: configuration.workerCount
        )
        self.controlQueue =
            configuration.controlPaths.isEmpty
            ? nil
            : WorkQueue(
                capacity: configuration.controlQueueCapacity,
                workerCount: HTTPServer.Configuration.controlWorkerCount
            )
        self.inFlight = InFlightRegistry()
    }

    /// The queue a request head goes to: the control queue for a bodiless `GET` or `HEAD` of a control path,
    /// else the work queue.
    func queue(for head: HTTPRequestHead, framing: HTTPBodyFraming) -> WorkQueue {
        guard let controlQueue, framing == .none, head.method == .get || head.method == .head,
            configuration.controlPaths.contains(head.path)
        else { return workQueue }
        return controlQueue
    }

    /// Reports an event to the observer, if there is one. Never call this while holding a lock.
    /// - Parameter event: The event.
    func emit(_ event: HTTPServerEvent) {
        self.observer?(event)
    }

    /// Allocates the next connection number.
    /// - Returns: A number unique for this server.
    func makeConnectionID() -> UInt64 {
        self.nextConnectionID.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    /// Starts draining: the reactor stops accepting and closes idle connections; workers finish their request
    /// and close. After `deadline` the remaining connections are interrupted.
    /// - Parameter deadline: The end of the grace period.
    func beginDrain(deadline: ContinuousClock.Instant) {
        self.drainDeadline.withLock { $0 = $0 ?? deadline }
        self.isDraining.store(true, ordering: .releasing)
        self.mailbox.wake()
    }

    /// The end of the grace period, once draining.
    var drainDeadlineInstant: ContinuousClock.Instant? {
        self.drainDeadline.withLock { $0 }
    }

    /// Closes a connection's descriptor (after a best-effort TLS close_notify), updates the count and reports the
    /// closure.
    /// - Parameter connection: The connection, owned by the caller.
    func close(_ connection: ConnectionState) {
        connection.tls?.sendCloseNotify()
        Syscall.close(connection.fd)
        self.openConnectionCount.subtract(1, ordering: .relaxed)
        self.emit(.connectionClosed(connectionID: connection.id, requestCount: connection.requestCount))
    }

    /// Asks the handler for the response to a server-side error and reports the error.
    /// - Parameters:
    ///   - error: The error.
    ///   - head: The request head, when parsed.
    ///   - connectionID: The connection concerned.
    /// - Returns: The response to send.
    func errorResponse(_ error: HTTPServerError, head: HTTPRequestHead?, connectionID: UInt64?) -> HTTPResponse {
        self.emit(.serverError(connectionID: connectionID, error: error, head: head))
        return self.handler.respondToServerError(error, head: head)
    }

    /// Marks a request as finished by its worker and wakes the reactor if it is waiting to drain.
    func requestFinished() {
        self.inFlightCount.subtract(1, ordering: .releasing)
        if self.isDraining.load(ordering: .acquiring) {
            self.mailbox.wake()
        }
    }
}
