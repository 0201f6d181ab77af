import Foundation
import Glibc
import Synchronization

/// A request as a fake server received it.
struct RecordedRequest: Sendable {
    let method: String
    let target: String
    /// Header names lower-cased; a repeated name keeps its last value.
    let headers: [String: String]
    let body: [UInt8]

    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What a fake server answers.
struct FakeResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    /// Seconds to wait before answering (to exceed a client's timeout).
    var delay: Double = 0

    init(status: Int, headers: [(String, String)] = [], body: String = "", delay: Double = 0) {
        self.status = status
        self.headers = headers
        self.body = Array(body.utf8)
        self.delay = delay
    }

    static func json(_ text: String, status: Int = 200) -> FakeResponse {
        FakeResponse(status: status, headers: [("Content-Type", "application/json")], body: text)
    }
}

/// A small HTTP/1.1 server on 127.0.0.1 (one request per connection, `Connection: close`) that answers with a
/// handler and records every request, for the container, IMDS and STS fakes.
final class LoopbackHTTPServer: Sendable {
    let port: Int
    private let listenFD: Int32
    private let recorded = RequestLog()
    private let isStopped = Mutex(false)

    var baseURL: String { "http://127.0.0.1:\(port)" }

    var requests: [RecordedRequest] { recorded.all }

    init(handler: @escaping @Sendable (RecordedRequest) -> FakeResponse) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 32) == 0 else {
            close(fd)
            throw TestFailure("fake server could not listen")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listenFD = fd
        let recorded = self.recorded
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { break }
                Thread.detachNewThread {
                    Self.serve(client, handler: handler, recorded: recorded)
                }
            }
            close(fd)
        }
    }

    deinit {
        stop()
    }

    /// Stops accepting connections.
    func stop() {
        let first = isStopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        if first { shutdown(listenFD, Int32(SHUT_RDWR)) }
    }

    private static func serve(
        _ fd: Int32,
        handler: @Sendable (RecordedRequest) -> FakeResponse,
        recorded: RequestLog
    ) {
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let request = readRequest(fd) else { return }
        recorded.append(request)
        let response = handler(request)
        if response.delay > 0 { Thread.sleep(forTimeInterval: response.delay) }
        var head = "HTTP/1.1 \(response.status) Fake\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array(head.utf8) + response.body
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    private static func readRequest(_ fd: Int32) -> RecordedRequest? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            buffer += chunk[0..<count]
            if buffer.count >= 4 {
                headEnd = (0...(buffer.count - 4)).first { Array(buffer[$0..<($0 + 4)]) == separator }
            }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(buffer[(headEnd! + 4)...])
        let length = headers["content-length"].flatMap { Int($0) } ?? 0
        while body.count < length {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            body += chunk[0..<count]
        }
        return RecordedRequest(
            method: String(requestLine[0]),
            target: String(requestLine[1]),
            headers: headers,
            body: body
        )
    }
}

/// A test setup failure with a message.
struct TestFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The requests a fake server received, in order.
final class RequestLog: Sendable {
    private let entries = Mutex<[RecordedRequest]>([])

    var all: [RecordedRequest] { entries.withLock { $0 } }

    func append(_ request: RecordedRequest) {
        entries.withLock { $0.append(request) }
    }
}
