import Foundation
import Glibc
import Synchronization

/// A blocking loopback server that runs a script for each accepted connection, for client tests that need
/// responses the real server never sends (chunked, 1xx, close-delimited, misbehaviour).
final class ScriptedServer: Sendable {
    let port: Int
    private let listenFD: Int32
    private let accepted = Counter()
    private let isClosed = Lock()
    private let done = DispatchGroup()

    /// Starts accepting up to `connections` connections; `script` gets each socket and its 0-based index.
    init(connections: Int, script: @escaping @Sendable (TestSocket, Int) -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else {
            throw TestFailure("scripted server could not listen")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.listenFD = fd
        self.done.enter()
        let thread = Thread { [accepted, done, isClosed] in
            for index in 0..<connections {
                let client = accept(fd, nil, nil)
                guard client >= 0 else {
                    break
                }
                accepted.value.add(1, ordering: .relaxed)
                script(TestSocket(accepted: client), index)
            }
            // Only this thread closes the listening descriptor, so its number cannot be reused by another test's
            // socket while this thread might still call accept on it.
            isClosed.value.withLock { closed in
                close(fd)
                closed = true
            }
            done.leave()
        }
        thread.start()
    }

    deinit {
        // Wakes a blocked accept (and makes later ones fail); the accept thread then closes the descriptor.
        self.isClosed.value.withLock { closed in
            if !closed {
                shutdown(self.listenFD, Int32(SHUT_RDWR))
            }
        }
    }

    /// The number of connections accepted so far.
    var acceptedCount: Int {
        self.accepted.value.load(ordering: .relaxed)
    }

    /// Waits (up to 5 s) for the scripts to finish.
    func waitForScripts() -> Bool {
        self.done.wait(timeout: .now() + 5) == .success
    }
}

/// A shareable atomic counter.
final class Counter: Sendable {
    let value = Atomic<Int>(0)
}

/// A shareable flag guarded by a mutex.
final class Lock: Sendable {
    let value = Mutex(false)
}
