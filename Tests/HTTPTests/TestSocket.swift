import Glibc
import HTTPCore

/// A blocking loopback TCP socket for tests that need byte-level control.
///
/// Unchecked Sendable: a test may send from one thread while another reads; only the reading thread touches
/// `buffer`, and the kernel serialises the socket calls.
final class TestSocket: @unchecked Sendable {
    let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port` with 5-second send and receive timeouts; `receiveBufferBytes` shrinks the
    /// receive buffer before connecting (so the advertised window stays small).
    init(port: Int, timeoutSeconds: Int = 5, receiveBufferBytes: Int32? = nil) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else {
            throw TestFailure("socket failed: \(errno)")
        }
        if var size = receiveBufferBytes {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw TestFailure("connect failed: \(code)")
        }
        self.fd = fd
        Self.setTimeouts(fd, seconds: timeoutSeconds)
    }

    /// Wraps an accepted descriptor.
    init(accepted fd: Int32) {
        self.fd = fd
        Self.setTimeouts(fd, seconds: 5)
    }

    deinit {
        close(self.fd)
    }

    private static func setTimeouts(_ fd: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends all bytes; returns false when the peer is gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(self.fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 {
                return false
            }
            offset += sent
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool {
        self.send(Array(text.utf8))
    }

    /// Reads once; returns nil on timeout or error, [] at end of stream.
    func readSome() -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            return nil
        }
        return Array(chunk[0..<count])
    }

    /// Reads until the peer closes; returns nil if the timeout expires first.
    func readToEnd() -> [UInt8]? {
        var all = self.buffer
        self.buffer = []
        while true {
            guard let chunk = self.readSome() else {
                return nil
            }
            if chunk.isEmpty {
                return all
            }
            all += chunk
        }
    }

    /// Whether the peer closed the connection (reading until end of stream within the timeout).
    func waitForClose() -> Bool {
        self.readToEnd() != nil
    }

    /// Reads one response framed by Content-Length (or none), keeping any extra bytes for the next call.
    func readResponse() throws -> HTTPResponse {
        var parser = ResponseHeadParser()
        while true {
            if case .complete(let head, let consumed) = try parser.parse(self.buffer) {
                self.buffer.removeFirst(consumed)
                let length = Int(head.headers["Content-Length"] ?? "0") ?? 0
                while self.buffer.count < length {
                    guard let chunk = self.readSome(), !chunk.isEmpty else {
                        throw TestFailure("connection ended inside a response body")
                    }
                    self.buffer += chunk
                }
                let body = Array(self.buffer[0..<length])
                self.buffer.removeFirst(length)
                return HTTPResponse(status: head.status, headers: head.headers, body: body)
            }
            guard let chunk = self.readSome(), !chunk.isEmpty else {
                throw TestFailure("no response (timeout or end of stream)")
            }
            self.buffer += chunk
        }
    }

    /// Reads a request head plus Content-Length body (for scripted servers).
    func readRequest() throws -> HTTPRequestHead {
        var parser = RequestHeadParser()
        while true {
            if case .complete(let head, let consumed) = try parser.parse(self.buffer) {
                self.buffer.removeFirst(consumed)
                let length = Int(head.headers["Content-Length"] ?? "0") ?? 0
                while self.buffer.count < length {
                    guard let chunk = self.readSome(), !chunk.isEmpty else {
                        throw TestFailure("connection ended inside a request body")
                    }
                    self.buffer += chunk
                }
                self.buffer.removeFirst(length)
                return head
            }
            guard let chunk = self.readSome(), !chunk.isEmpty else {
                throw TestFailure("no request")
            }
            self.buffer += chunk
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
