import Foundation
import HTTPClient
import HTTPCore
import NetworkTestSupport
import TLS

/// The Python fake of the mapping API (`fake_mapping_api_h2.py`) served by hypercorn over TLS with ALPN `h2` and
/// `http/1.1` on 127.0.0.1: a real HTTP/2 peer with the contract of issue 4, scriptable call by call.
final class H2FakeMappingAPI: Sendable {
    /// Why the fake cannot run here (`python3` cannot import hypercorn), or `nil`.
    static let unavailableReason: String? = {
        let check = try? ChildProcess.run("python3", ["-c", "import hypercorn, h2"])
        guard let check, check.status == 0 else {
            return "hypercorn is not installed (scripts/deps.sh test, or python3 -m pip install hypercorn)"
        }
        return nil
    }()

    /// Whether the suites that need the fake run: always in CI (where a missing hypercorn must fail), otherwise
    /// only when hypercorn is installed.
    static let shouldRun = unavailableReason == nil || ProcessInfo.processInfo.environment["CI"] != nil

    /// The test PKI, made once per test process.
    static let pki = Result { try TestCertificates() }

    /// The key the fake accepts.
    static let key = RemoteMapperTests.key

    /// How the fake answers one `/v1/map` call.
    enum Behaviour: Sendable {
        /// The contract's answer.
        case answer
        /// Waits this many milliseconds, then answers.
        case delay(Int)
        /// This status with an error body and an optional `Retry-After`.
        case status(Int, retryAfter: String?)
        /// `RST_STREAM` with this HTTP/2 error code instead of an answer.
        case reset(errorCode: Int)
        /// `GOAWAY` refusing this stream and later ones, then the connection closes.
        case goAway
        /// Answers 200 with a body that is not the contract's.
        case malformed
        /// Waits this many milliseconds, then answers every framework without controls (cheap for the server).
        case empty(Int)

        /// The behaviour as the fake's control endpoint reads it.
        var json: [String: Any] {
            switch self {
            case .answer: return ["kind": "answer"]
            case .delay(let milliseconds): return ["kind": "delay", "ms": milliseconds]
            case .status(let status, let retryAfter):
                return ["kind": "status", "status": status, "retry_after": retryAfter ?? ""]
            case .reset(let code): return ["kind": "reset", "error_code": code]
            case .goAway: return ["kind": "goaway"]
            case .malformed: return ["kind": "malformed"]
            case .empty(let milliseconds): return ["kind": "empty", "ms": milliseconds]
            }
        }
    }

    /// What the fake saw.
    struct Stats {
        /// `/v1/map` calls: documents, `authorization`, HTTP version (`2` or `1.1`), status, body size.
        var calls: [[String: Any]]
        /// Distinct HTTP/2 connections that carried requests.
        var http2Connections: Int
        /// Distinct TCP connections (client addresses) that carried requests, control requests included.
        var connections: Int
        /// The most `/v1/map` calls being answered at once.
        var mostInFlight: Int
    }

    /// The base URL, `https://localhost:<port>`.
    let baseURL: String
    /// The port.
    let port: Int
    /// The CA file that signed the fake's certificate.
    let caFile: String
    private let process: ChildProcess
    private let control: HTTPClient

    /// Starts the fake and waits until it listens.
    /// - Parameters:
    ///   - maxConcurrentStreams: The `SETTINGS_MAX_CONCURRENT_STREAMS` the fake announces. Default: 100.
    ///   - offersHTTP2: Whether ALPN offers `h2` (otherwise `http/1.1` only). Default: `true`.
    /// - Throws: ``TestFailure`` when hypercorn is missing or does not start.
    init(maxConcurrentStreams: Int = 100, offersHTTP2: Bool = true) throws {
        if let reason = Self.unavailableReason { throw TestFailure(reason) }
        let pki = try Self.pki.get()
        let port = try SocketIO.freePort()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("fake_mapping_api_h2.py").path
        self.process = try ChildProcess(
            "python3",
            [script, String(port), pki.serverCertificate, pki.serverKey, Self.key, String(maxConcurrentStreams)]
                + (offersHTTP2 ? [] : ["http/1.1"])
        )
        try SocketIO.waitUntilListening(port: port, seconds: 30)
        self.port = port
        self.baseURL = "https://localhost:\(port)"
        self.caFile = pki.caCertificate
        self.control = HTTPClient(connector: try TLSConnector(configuration: TLSConfiguration(caFilePath: caFile)))
    }

    /// A TLS connector that trusts the fake.
    func connector() throws -> TLSConnector {
        try TLSConnector(configuration: TLSConfiguration(caFilePath: caFile))
    }

    /// Behaviours for the next `/v1/map` calls, in order; later calls get `otherwise`.
    func script(_ behaviours: [Behaviour], otherwise: Behaviour = .answer) throws {
        let command: [String: Any] = ["script": behaviours.map(\.json), "otherwise": otherwise.json]
        _ = try post("/_fake/script", try JSONSerialization.data(withJSONObject: command))
    }

    /// What the fake saw so far.
    func stats() throws -> Stats {
        let response = try control.send(
            HTTPClientRequest(method: .get, url: try HTTPURL(parsing: baseURL + "/_fake/stats"))
        )
        guard let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw TestFailure("unreadable stats: \(String(decoding: response.body, as: UTF8.self))")
        }
        return Stats(
            calls: object["calls"] as? [[String: Any]] ?? [],
            http2Connections: object["h2_connections"] as? Int ?? -1,
            connections: object["connections"] as? Int ?? -1,
            mostInFlight: object["most_in_flight"] as? Int ?? -1
        )
    }

    /// Stops the fake (calls are then refused).
    func stop() {
        process.stop()
    }

    private func post(_ path: String, _ body: Data) throws -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        let url = try HTTPURL(parsing: baseURL + path)
        let response = try control.send(
            HTTPClientRequest(method: .post, url: url, headers: headers, body: [UInt8](body))
        )
        guard response.status.code == 200 else { throw TestFailure("fake control \(path): \(response.status)") }
        return response
    }
}
