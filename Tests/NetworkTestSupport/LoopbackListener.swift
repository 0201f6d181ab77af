import Foundation
import Glibc
import Synchronization

/// A TCP listening socket on `127.0.0.1` with an ephemeral port.
///
/// Without ``serve(_:)`` nobody accepts: the kernel still completes TCP handshakes up to the backlog, which makes
/// a server that "connects but never answers".
public final class LoopbackListener: Sendable {
    /// The listening descriptor.
    public let fd: Int32
    /// The bound port.
    public let port: Int
    private let isClosed = Atomic<Bool>(false)
    private let isServing = Atomic<Bool>(false)

    /// Binds and listens.
    /// - Parameter backlog: The listen backlog. Default: 64.
    /// - Throws: ``TestFailure`` when the socket cannot be bound.
    public init(backlog: Int32 = 64) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw TestFailure("socket failed: errno \(errno)")
        }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = SocketIO.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, backlog) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TestFailure("bind/listen failed: errno \(code)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: actual.sin_port))
    }

    deinit {
        self.close()
    }

    /// Accepts connections on a background thread and hands each to `handler` on its own thread, until
    /// ``close()``.
    /// - Parameter handler: Receives the accepted descriptor and owns it.
    public func serve(_ handler: @escaping @Sendable (Int32) -> Void) {
        self.isServing.store(true, ordering: .releasing)
        let thread = Thread { [self] in
            defer { Glibc.close(self.fd) }
            while !self.isClosed.load(ordering: .acquiring) {
                var descriptor = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
                guard poll(&descriptor, 1, 100) > 0 else {
                    continue
                }
                let client = accept(self.fd, nil, nil)
                guard client >= 0 else {
                    continue
                }
                let worker = Thread { handler(client) }
                worker.start()
            }
        }
        thread.start()
    }

    /// Stops listening; connections already handed out stay with their handlers.
    public func close() {
        guard !self.isClosed.exchange(true, ordering: .acquiringAndReleasing) else {
            return
        }
        shutdown(self.fd, Int32(SHUT_RDWR))
        // A serving listener's descriptor is closed by its accept loop, so it is never reused under the loop.
        if !self.isServing.load(ordering: .acquiring) {
            Glibc.close(self.fd)
        }
    }
}
