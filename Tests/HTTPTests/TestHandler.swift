import Foundation
import HTTPCore
import HTTPServer
import Synchronization

/// A routing handler for server tests.
///
/// - `GET /hello` → 200 "hello"
/// - `POST /echo` → 200 with the request body; `GET /echo` → 405
/// - `GET|POST /slow?ms=N` → sleeps N ms, then 200 "slow"
/// - `POST /guarded` → 200 with the request body when `X-Key: k`; else 401 from the head, before the body
/// - anything else → 404
final class TestHandler: HTTPRequestHandler {
    let serverErrors = Mutex<[HTTPServerError]>([])

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        switch request.path {
        case "/hello":
            return HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: Array("hello".utf8))
        case "/echo":
            guard request.method == .post else {
                return HTTPResponse(status: .methodNotAllowed, headers: ["Allow": "POST"])
            }
            var headers: HTTPHeaders = ["X-Method": request.method.rawValue]
            if let trailerCheck = request.headers["X-Tag"] {
                headers.add(name: "X-Tag", value: trailerCheck)
            }
            return HTTPResponse(status: .ok, headers: headers, body: request.body)
        case "/guarded":
            return self.answerBeforeBody(request.head) ?? HTTPResponse(status: .ok, body: request.body)
        case "/slow":
            let milliseconds = Int(request.query?.split(separator: "=").last ?? "100") ?? 100
            Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
            return HTTPResponse(status: .ok, body: Array("slow".utf8))
        default:
            return HTTPResponse(status: .notFound)
        }
    }

    func answerBeforeBody(_ head: HTTPRequestHead) -> HTTPResponse? {
        guard head.path == "/guarded", head.headers["X-Key"] != "k" else {
            return nil
        }
        return HTTPResponse(status: .unauthorized, body: Array("no key".utf8))
    }

    func respondToServerError(_ error: HTTPServerError, head: HTTPRequestHead?) -> HTTPResponse {
        self.serverErrors.withLock { $0.append(error) }
        switch error.code {
        case .tooManyConnections, .queueFull:
            return HTTPResponse(status: .serviceUnavailable, body: Array("busy".utf8))
        case .bodyTooLarge:
            return HTTPResponse(status: .badRequest, body: Array("too large".utf8))
        default:
            return HTTPResponse(status: error.suggestedStatus, body: Array(error.description.utf8))
        }
    }

    var recordedCodes: [HTTPServerError.Code] {
        self.serverErrors.withLock { $0.map(\.code) }
    }
}

/// Starts a server on 127.0.0.1 with an ephemeral port; `configure` adjusts the configuration first.
func startServer(
    handler: TestHandler = TestHandler(),
    recorder: EventRecorder? = nil,
    _ configure: (inout HTTPServer.Configuration) -> Void = { _ in }
) throws -> HTTPServer {
    var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
    configuration.workerCount = 4
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, handler: handler, observer: recorder?.observer)
    try server.start()
    return server
}

/// Runs `body` on a new thread; the returned group is left when it ends.
func runOnThread(_ body: @escaping @Sendable () -> Void) -> DispatchGroup {
    let group = DispatchGroup()
    group.enter()
    let thread = Thread {
        body()
        group.leave()
    }
    thread.start()
    return group
}

/// Polls `condition` every 10 ms for up to 10 seconds (a loaded machine can stall a server thread for seconds).
func eventually(_ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + .seconds(10)
    while ContinuousClock.now < deadline {
        if condition() {
            return true
        }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return condition()
}
