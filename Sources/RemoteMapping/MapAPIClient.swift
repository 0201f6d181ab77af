import Foundation
import HTTP2Client
import HTTPClient
import HTTPCore
import JSONBytes
import Mapping
import Synchronization
import TLS

/// One HTTP exchange with the mapping API: `POST {base}/v1/map` or `GET {base}/v1/frameworks`.
///
/// No retries here; ``RemoteMapper`` decides what to do with a failure. With an `https` base URL, a TLS
/// connector and ``RemoteMapper/HTTP2Mode/auto``, calls go as streams of one shared HTTP/2 connection when the
/// server chooses `h2` by ALPN (see ``HTTPVersionChoice``); otherwise connections are HTTP/1.1, kept alive and
/// reused (up to ``RemoteMapper/Configuration/parallelCalls`` × 4 idle ones).
struct MapAPIClient: Sendable {
    /// The ALPN protocols offered when HTTP/2 is wanted, most preferred first.
    static let http2Protocols = ["h2", "http/1.1"]

    /// The base URL.
    let baseURL: HTTPURL
    /// The HTTP version in use and the calls per version.
    let versions = HTTPVersionChoice()
    private let client: HTTPClient
    private let http2: HTTP2Client?
    private let mapTarget: String
    private let frameworksTarget: String

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: URL, timeouts, parallelism and the HTTP/2 mode.
    ///   - connector: Opens connections (TLS for `https`; only a ``TLSConnector`` can negotiate HTTP/2).
    init(configuration: RemoteMapper.Configuration, connector: any HTTPTransportConnector) {
        var settings = HTTPClient.Configuration()
        settings.connectTimeout = configuration.connectTimeout
        settings.readTimeout = configuration.readTimeout
        settings.writeTimeout = configuration.readTimeout
        settings.maxIdleConnectionsPerEndpoint = max(8, configuration.parallelCalls * 4)
        settings.idleConnectionTimeout = .seconds(20)
        settings.maxResponseBodyBytes = 64 << 20
        self.client = HTTPClient(configuration: settings, connector: connector)
        if configuration.http2 == .auto, configuration.baseURL.isTLS, let tls = connector as? TLSConnector {
            var http2Settings = HTTP2Client.Configuration()
            http2Settings.connectTimeout = configuration.connectTimeout
            http2Settings.requestTimeout = configuration.readTimeout
            http2Settings.idleConnectionTimeout = settings.idleConnectionTimeout
            http2Settings.maxResponseBodyBytes = settings.maxResponseBodyBytes
            self.http2 = HTTP2Client(configuration: http2Settings, scheme: "https", opener: Self.opener(tls))
        } else {
            self.http2 = nil
        }
        self.baseURL = configuration.baseURL
        let path = baseURL.path.hasSuffix("/") ? String(baseURL.path.dropLast()) : baseURL.path
        let query = baseURL.query.map { "?\($0)" } ?? ""
        self.mapTarget = path + "/v1/map" + query
        self.frameworksTarget = path + "/v1/frameworks" + query
    }

    /// Maps documents in one call.
    /// - Parameters:
    ///   - documents: The texts (within the API's limits).
    ///   - options: Validated options.
    ///   - apiKey: The `authorization` value.
    /// - Returns: The decoded answer.
    /// - Throws: ``RemoteMappingError`` for transport failures, any status but 200, or a malformed answer.
    func map(
        _ documents: [String],
        options: MappingOptions,
        apiKey: String
    ) throws(RemoteMappingError)
        -> MapResponseDecoder.Answer
    {
        let body = MapRequestBody.encode(documents, options: options)
        let response = try send(.post, target: mapTarget, apiKey: apiKey, body: body)
        return try MapResponseDecoder.decode(response.body, documentCount: documents.count, options: options)
    }

    /// The framework ids the API serves.
    /// - Parameter apiKey: The `authorization` value.
    /// - Returns: The ids, as sent.
    /// - Throws: ``RemoteMappingError`` for transport failures, any status but 200, or a malformed answer.
    func frameworkIDs(apiKey: String) throws(RemoteMappingError) -> [String] {
        let response = try send(.get, target: frameworksTarget, apiKey: apiKey, body: [])
        return try FrameworkList.ids(response.body)
    }

    private func send(
        _ method: HTTPMethod,
        target: String,
        apiKey: String,
        body: [UInt8]
    ) throws(RemoteMappingError)
        -> HTTPResponse
    {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: baseURL.hostHeaderValue)
        headers.add(name: "authorization", value: apiKey)
        headers.add(name: "Accept", value: "application/json")
        if method == .post { headers.add(name: "Content-Type", value: "application/json") }
        let request = HTTPClientRequest(
            method: method,
            host: baseURL.host,
            port: baseURL.port,
            target: target,
            headers: headers,
            body: body
        )
        let response: HTTPResponse
        if let http2, versions.triesHTTP2() {
            switch Result(catching: { () throws(HTTP2ClientError) in try http2.send(request) }) {
            case .success(let answer):
                versions.http2Calls.add(1, ordering: .relaxed)
                guard answer.status.code == 200 else { throw Self.statusError(answer) }
                return answer
            case .failure(let error) where error.code == .notNegotiated:
                versions.declineHTTP2()
            case .failure(let error):
                versions.http2Calls.add(1, ordering: .relaxed)
                throw Self.transportError(error.httpClientError)
            }
        }
        versions.http1Calls.add(1, ordering: .relaxed)
        do {
            response = try client.send(request)
        } catch let error as HTTPClientError {
            throw Self.transportError(error)
        } catch {
            throw RemoteMappingError(.connectionLost, "the call to the mapping API failed: \(error)")
        }
        guard response.status.code == 200 else { throw Self.statusError(response) }
        return response
    }

    /// Opens TLS connections offering `h2` and `http/1.1`; a server that does not choose `h2` is reported as
    /// ``HTTP2ClientError/Code/notNegotiated`` (the connection is closed and the call goes over HTTP/1.1).
    static func opener(_ tls: TLSConnector) -> HTTP2Client.Opener {
        { host, port, timeout throws(HTTP2ClientError) in
            let connection: TLSConnection
            do throws(TLSError) {
                connection = try tls.open(
                    host: host,
                    port: port,
                    timeout: timeout,
                    applicationProtocols: http2Protocols
                )
            } catch {
                throw HTTP2ClientError(error.code == .timeout ? .timeout : .connectFailed, error.description)
            }
            guard connection.negotiatedProtocol == "h2" else {
                let chosen = connection.negotiatedProtocol ?? "no protocol"
                connection.close()
                throw HTTP2ClientError(.notNegotiated, "the server chose \(chosen) by ALPN")
            }
            return connection
        }
    }

    /// The error of an answer other than 200: its status, `Retry-After`, and the API's error code when it sent
    /// `{"error":{"code":"…"}}` (its message is left out: only fixed text reaches logs and Firehose).
    static func statusError(_ response: HTTPResponse) -> RemoteMappingError {
        let status = response.status.code
        let retryAfter = response.headers["Retry-After"].flatMap {
            RetryAfter.seconds($0, nowEpochSeconds: Date().timeIntervalSince1970)
        }
        var apiCode = ""
        if let tape = try? JSONTape(parsing: response.body, limits: JSONLimits(maxDepth: 8, maxNodes: 1_000)),
            let error = tape.value(forKey: "error", in: tape.rootIndex),
            let codeNode = tape.value(forKey: "code", in: error), let code = tape.string(codeNode),
            isPlainCode(code)
        {
            apiCode = " (\(code))"
        }
        return RemoteMappingError(
            .httpStatus,
            "the mapping API answered \(status)\(apiCode)",
            httpStatus: status,
            retryAfterSeconds: retryAfter
        )
    }

    /// Whether an API error code is short and made of letters, digits, `_` and `.` only (safe to log).
    static func isPlainCode(_ code: String) -> Bool {
        !code.isEmpty && code.utf8.count <= 64
            && code.utf8.allSatisfy { byte in
                byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                    || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            }
    }

    /// Maps a transport failure to a mapping error.
    static func transportError(_ error: HTTPClientError) -> RemoteMappingError {
        let detail = error.detail.map { " (\($0))" } ?? ""
        switch error.code {
        case .timeout:
            return RemoteMappingError(.timeout, "the mapping API did not answer in time\(detail)")
        case .connectFailed:
            return RemoteMappingError(.connectFailed, "cannot connect to the mapping API\(detail)")
        case .invalidResponse, .responseTooLarge:
            return RemoteMappingError(.invalidResponse, "the mapping API's answer is not valid HTTP: \(error)")
        case .invalidURL, .invalidRequest:
            return RemoteMappingError(.invalidConfiguration, "cannot build the request: \(error)")
        default:
            return RemoteMappingError(.connectionLost, "the connection to the mapping API broke: \(error)")
        }
    }
}
