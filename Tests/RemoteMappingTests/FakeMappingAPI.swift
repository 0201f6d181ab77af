import Foundation
import HTTPCore
import HTTPServer
import JSONBytes
import Mapping
import Synchronization

/// A loopback stand-in for the remote mapping API: `POST /v1/map` and `GET /v1/frameworks` with the documented
/// contract (requests are validated and answered by ``MapAPI`` over ``FakeEngine``), plus failure modes a test
/// can script call by call.
final class FakeMappingAPI: HTTPRequestHandler {
    /// How the fake answers one `/v1/map` call.
    enum Behaviour: Sendable {
        /// The contract's answer.
        case answer
        /// This status, with an error body and an optional `Retry-After`.
        case status(Int, retryAfter: String?)
        /// Waits, then answers.
        case slow(Duration)
        /// Answers without these frameworks.
        case dropFrameworks([FrameworkID])
        /// Answers 200 with this body.
        case malformed(String)
    }

    /// One `/v1/map` call as received.
    struct Call: Sendable {
        /// The documents' texts, in request order.
        var documents: [String]
        /// The `authorization` header.
        var authorization: String?
        /// The `Content-Type` header.
        var contentType: String?
        /// The status answered.
        var status: Int
    }

    private struct State {
        var script: [Behaviour] = []
        var otherwise = Behaviour.answer
        var calls: [Call] = []
        var frameworkRequests = 0
        var validKeys: Set<String>
        var frameworks: [String]?
        var inFlight = 0
        var mostInFlight = 0
    }

    private let state: Mutex<State>
    private let connections = Atomic<Int>(0)
    private let server = Mutex<HTTPServer?>(nil)

    /// Creates a fake that accepts `keys`; call ``start()``.
    init(keys: Set<String> = ["test-api-key-1"]) {
        state = Mutex(State(validKeys: keys))
    }

    /// Starts listening on an ephemeral loopback port.
    /// - Returns: The base URL, `http://127.0.0.1:<port>`.
    @discardableResult
    func start() throws -> String {
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.workerCount = 8
        let server = HTTPServer(configuration: configuration, handler: self) { [self] event in
            if case .connectionOpened = event { self.connections.add(1, ordering: .relaxed) }
        }
        try server.start()
        self.server.withLock { $0 = server }
        return "http://127.0.0.1:\(server.boundPort)"
    }

    /// Stops listening (calls are then refused).
    func stop() {
        let running = server.withLock { server -> HTTPServer? in
            defer { server = nil }
            return server
        }
        running?.shutdown(gracePeriod: .seconds(2))
        running?.waitUntilStopped()
    }

    /// Behaviours for the next calls, in order; later calls get `otherwise`.
    func script(_ behaviours: [Behaviour], otherwise: Behaviour = .answer) {
        state.withLock {
            $0.script = behaviours
            $0.otherwise = otherwise
        }
    }

    /// Replaces the accepted keys.
    func acceptKeys(_ keys: Set<String>) {
        state.withLock { $0.validKeys = keys }
    }

    /// Serves this list on `/v1/frameworks` instead of the built-in one.
    func serveFrameworks(_ ids: [String]) {
        state.withLock { $0.frameworks = ids }
    }

    /// The `/v1/map` calls so far.
    var calls: [Call] { state.withLock { $0.calls } }

    /// The most `/v1/map` calls that were being answered at once.
    var mostCallsInFlight: Int { state.withLock { $0.mostInFlight } }

    /// `/v1/frameworks` requests so far.
    var frameworkRequests: Int { state.withLock { $0.frameworkRequests } }

    /// Connections accepted so far.
    var connectionCount: Int { connections.load(ordering: .relaxed) }

    /// Forgets the calls recorded so far.
    func resetCalls() {
        state.withLock { $0.calls = [] }
    }

    /// Answers a request.
    func handle(_ request: HTTPRequest) -> HTTPResponse {
        let authorized = state.withLock { $0.validKeys.contains(request.headers["authorization"] ?? "") }
        switch (request.method, request.path) {
        case (.get, "/v1/frameworks"):
            let list = state.withLock { state -> [String]? in
                state.frameworkRequests += 1
                return state.frameworks
            }
            guard authorized else { return Self.error(401, "unauthorized") }
            guard let list else { return Self.json(200, MapAPI.frameworksResponse()) }
            var writer = JSONWriter()
            writer.appendRaw("[")
            for (index, id) in list.enumerated() {
                writer.appendRaw(index == 0 ? "{\"id\":" : ",{\"id\":")
                writer.appendString(id)
                writer.appendRaw("}")
            }
            writer.appendRaw("]")
            return Self.json(200, writer.bytes)
        case (.post, "/v1/map"):
            return map(request, authorized: authorized)
        default:
            return Self.error(404, "not_found")
        }
    }

    private func map(_ request: HTTPRequest, authorized: Bool) -> HTTPResponse {
        let behaviour = state.withLock { state -> Behaviour in
            state.inFlight += 1
            state.mostInFlight = max(state.mostInFlight, state.inFlight)
            return state.script.isEmpty ? state.otherwise : state.script.removeFirst()
        }
        var response = answer(request, authorized: authorized, behaviour)
        let call = Call(
            documents: Self.documents(request.body),
            authorization: request.headers["authorization"],
            contentType: request.headers["content-type"],
            status: response.status.code
        )
        state.withLock {
            $0.inFlight -= 1
            $0.calls.append(call)
        }
        response.headers.add(name: "Content-Type", value: "application/json")
        return response
    }

    private func answer(_ request: HTTPRequest, authorized: Bool, _ behaviour: Behaviour) -> HTTPResponse {
        guard authorized else { return Self.error(401, "unauthorized") }
        guard request.headers["content-type"] == "application/json" else { return Self.error(415, "media_type") }
        switch behaviour {
        case .answer:
            let (status, body) = MapAPI.handleMapRequest(request.body, mapper: FakeEngine())
            return Self.json(status, body)
        case .status(let code, let retryAfter):
            var response = Self.error(code, "fake_failure")
            if let retryAfter { response.headers.add(name: "Retry-After", value: retryAfter) }
            return response
        case .slow(let delay):
            Thread.sleep(
                forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
            )
            let (status, body) = MapAPI.handleMapRequest(request.body, mapper: FakeEngine())
            return Self.json(status, body)
        case .dropFrameworks(let dropped):
            let (status, body) = MapAPI.handleMapRequest(request.body, mapper: FakeEngine())
            return Self.json(status, Self.removing(dropped, from: body))
        case .malformed(let text):
            return Self.json(200, Array(text.utf8))
        }
    }

    /// The documents of a request body, or none when it cannot be read.
    static func documents(_ body: [UInt8]) -> [String] {
        guard let tape = try? JSONTape(parsing: body), let list = tape.value(forKey: "documents", in: 0) else {
            return []
        }
        return tape.children(list).compactMap { entry in
            tape.value(forKey: "document", in: entry).flatMap { tape.string($0) }
        }
    }

    /// An answer body without the entries of some frameworks.
    static func removing(_ frameworks: [FrameworkID], from body: [UInt8]) -> [UInt8] {
        guard let tape = try? JSONTape(parsing: body), let list = tape.value(forKey: "frameworks", in: 0) else {
            return body
        }
        var writer = JSONWriter()
        writer.appendRaw("{\"frameworks\":[")
        var first = true
        for entry in tape.children(list) {
            let id = tape.value(forKey: "framework_id", in: entry).flatMap { tape.string($0) } ?? ""
            if frameworks.contains(where: { $0.rawValue == id }) { continue }
            if !first { writer.appendRaw(",") }
            first = false
            writer.appendRaw(tape.rawBytes(entry))
        }
        writer.appendRaw("]}")
        return writer.bytes
    }

    /// A JSON response.
    static func json(_ status: Int, _ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: HTTPStatus(code: status), headers: ["Content-Type": "application/json"], body: body)
    }

    /// An error response in the contract's shape.
    static func error(_ status: Int, _ code: String) -> HTTPResponse {
        json(status, Array(#"{"error":{"code":"\#(code)","message":"fake says \#(status)"}}"#.utf8))
    }
}

/// The fake API's deterministic engine: every text gets its own controls, unlike the embedded engine's.
struct FakeEngine: ComplianceMapper {
    /// The fake's answer for one text.
    static func matches(_ text: String, options: MappingOptions) -> [ControlMatch] {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        var out: [ControlMatch] = []
        for framework in options.frameworks {
            let count = min(options.topK, 1 + Int(hash % 3))
            for rank in 0..<count {
                let similarity = 0.95 - Double(rank) * 0.2 - Double(hash % 7) / 100
                let match = ControlMatch(
                    frameworkID: framework,
                    controlID: "FAKE-\(framework.rawValue.prefix(4))-\((hash >> (rank * 8)) % 251)",
                    family: "Fake family \(rank)",
                    similarity: similarity
                )
                if options.accepts(similarity: match.similarity) { out.append(match) }
            }
        }
        return out
    }

    /// The fake's answers, one per text.
    func map(_ texts: [String], options: MappingOptions) throws -> [[ControlMatch]] {
        let options = try options.validated()
        return texts.map { FakeEngine.matches($0, options: options) }
    }
}
