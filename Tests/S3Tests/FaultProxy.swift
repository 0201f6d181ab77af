import Foundation
import Glibc
import HTTPClient
import HTTPCore
import NetworkTestSupport
import Synchronization

/// A loopback HTTP proxy in front of moto (or the verifier) that injects S3 failures: error answers such as
/// 500 `InternalError` and 503 `SlowDown`, answers delayed beyond the client's read timeout, connection resets,
/// and `RequestTimeTooSkewed` for requests signed with a clock more than 15 minutes off.
///
/// Requests are forwarded unchanged (the `Host` header included), so moto verifies the client's signature.
final class FaultProxy: Sendable {
    /// What to do with one request.
    enum Action: Sendable, Hashable {
        /// Forward to moto and relay its answer.
        case forward
        /// Answer with an S3 error body, for example 500 `InternalError` or 503 `SlowDown`.
        case answer(status: Int, code: String)
        /// Wait, then forward (the client has usually given up by then).
        case delay(Duration)
        /// Close the connection with a TCP reset, answering nothing.
        case reset
        /// Answer 403 `RequestTimeTooSkewed` (chosen by the proxy, not the plan, for a request signed more than
        /// 15 minutes away from the proxy's clock).
        case tooSkewed
    }

    /// A request as the plan sees it.
    struct Request: Sendable {
        /// The method.
        let method: String
        /// The request target (path and query).
        let target: String
        /// How many times this method and target were seen, this one included.
        let attempt: Int
    }

    /// One handled request.
    struct Entry: Sendable {
        /// The request.
        let request: Request
        /// What was done.
        let action: Action
        /// The `x-amz-date` it was signed with.
        let amzDate: String
    }

    /// Decides the action for each request.
    typealias Plan = @Sendable (Request) -> Action

    /// The listening port.
    var port: Int { self.listener.port }
    private let listener: LoopbackListener
    private let state: State

    private final class State: Sendable {
        let plan: Mutex<Plan>
        let entries = Mutex<[Entry]>([])
        let attempts = Mutex<[String: Int]>([:])
        let upstream: HTTPClient
        let upstreamPort: Int

        init(plan: @escaping Plan, upstreamPort: Int) {
            self.plan = Mutex(plan)
            self.upstreamPort = upstreamPort
            var configuration = HTTPClient.Configuration()
            configuration.maxResponseBodyBytes = 256 << 20
            self.upstream = HTTPClient(configuration: configuration)
        }
    }

    /// Starts the proxy.
    /// - Parameters:
    ///   - upstreamPort: The port of moto or the verifier on `127.0.0.1`.
    ///   - plan: The fault plan.
    init(upstreamPort: Int, plan: @escaping Plan) throws {
        self.listener = try LoopbackListener()
        self.state = State(plan: plan, upstreamPort: upstreamPort)
        self.listener.serve { [state] client in
            Self.serve(client, state: state)
        }
    }

    deinit {
        self.listener.close()
    }

    /// The endpoint URL of the proxy.
    var endpoint: String { "http://127.0.0.1:\(self.port)" }

    /// Replaces the plan.
    func setPlan(_ plan: @escaping Plan) {
        self.state.plan.withLock { $0 = plan }
    }

    /// Every request handled so far.
    var entries: [Entry] { self.state.entries.withLock { $0 } }

    private static func serve(_ client: Int32, state: State) {
        var buffer: [UInt8] = []
        while true {
            guard let (head, body) = Self.readRequest(client, buffer: &buffer) else {
                close(client)
                return
            }
            let key = "\(head.method.rawValue) \(head.target)"
            let attempt = state.attempts.withLock { counts in
                counts[key, default: 0] += 1
                return counts[key, default: 0]
            }
            let request = Request(method: head.method.rawValue, target: head.target, attempt: attempt)
            let plan = state.plan.withLock { $0 }
            let action = Self.isSkewed(head.headers["x-amz-date"]) ? .tooSkewed : plan(request)
            state.entries.withLock {
                $0.append(Entry(request: request, action: action, amzDate: head.headers["x-amz-date"] ?? ""))
            }
            switch action {
            case .answer(let status, let code):
                Self.answer(client, status: status, code: code, message: "Injected \(code).")
            case .tooSkewed:
                let message = "The difference between the request time and the current time is too large."
                Self.answer(client, status: 403, code: "RequestTimeTooSkewed", message: message)
            case .reset:
                SocketIO.resetAndClose(client)
                return
            case .delay(let pause):
                let (seconds, attoseconds) = pause.components
                usleep(UInt32(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
                Self.forward(client, head: head, body: body, state: state)
            case .forward:
                Self.forward(client, head: head, body: body, state: state)
            }
        }
    }

    /// Whether an `x-amz-date` is more than 15 minutes from now.
    private static func isSkewed(_ amzDate: String?) -> Bool {
        guard let amzDate, amzDate.count == 16 else {
            return false
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        guard let date = formatter.date(from: amzDate) else {
            return false
        }
        return abs(date.timeIntervalSinceNow) > 900
    }

    private static func readRequest(_ client: Int32, buffer: inout [UInt8]) -> (HTTPRequestHead, [UInt8])? {
        var parser = RequestHeadParser()
        while true {
            if case .complete(let head, let consumed)? = try? parser.parse(buffer) {
                let length = Int(head.headers["Content-Length"] ?? "0") ?? 0
                while buffer.count < consumed + length {
                    guard let chunk = SocketIO.readSome(client, timeout: .seconds(30)), !chunk.isEmpty else {
                        return nil
                    }
                    buffer += chunk
                }
                let body = Array(buffer[consumed..<(consumed + length)])
                buffer.removeFirst(consumed + length)
                return (head, body)
            }
            guard let chunk = SocketIO.readSome(client, timeout: .seconds(30)), !chunk.isEmpty else {
                return nil
            }
            buffer += chunk
        }
    }

    private static func answer(_ client: Int32, status: Int, code: String, message: String) {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>\(code)</Code><Message>\(message)</Message><RequestId>FAULT\(status)</RequestId>\
            <HostId>fault-proxy</HostId></Error>
            """
        let head =
            "HTTP/1.1 \(status) Injected\r\nContent-Type: application/xml\r\nDate: \(HTTPDate.now())\r\n"
            + "x-amz-request-id: FAULT\(status)\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        SocketIO.writeAll(client, Array((head + body).utf8))
    }

    private static func forward(_ client: Int32, head: HTTPRequestHead, body: [UInt8], state: State) {
        var headers = HTTPHeaders()
        for field in head.headers where !["content-length", "connection"].contains(field.name.lowercased()) {
            headers.add(name: field.name, value: field.value)
        }
        let request = HTTPClientRequest(
            method: head.method,
            host: "127.0.0.1",
            port: state.upstreamPort,
            target: head.target,
            headers: headers,
            body: body
        )
        guard let response = try? state.upstream.send(request) else {
            Self.answer(client, status: 502, code: "BadGateway", message: "moto did not answer")
            return
        }
        var text = "HTTP/1.1 \(response.status.code) Relayed\r\n"
        for field in response.headers
        where !["content-length", "transfer-encoding", "connection"].contains(field.name.lowercased()) {
            text += "\(field.name): \(field.value)\r\n"
        }
        let length = head.method == .head ? Int(response.headers["Content-Length"] ?? "0") ?? 0 : response.body.count
        text += "Content-Length: \(length)\r\n\r\n"
        SocketIO.writeAll(client, Array(text.utf8) + (head.method == .head ? [] : response.body))
    }
}
