import Foundation
import HTTPClient
import HTTPCore

/// Sends requests to one endpoint under a ``FetchPolicy`` and turns transport failures into ``CredentialError``.
struct EndpointCaller: Sendable {
    /// The endpoint; request targets are formed from its path.
    let url: HTTPURL
    /// The calling policy.
    let policy: FetchPolicy
    /// Names the caller in errors.
    let source: String
    private let client: HTTPClient

    /// Creates a caller.
    ///
    /// - Parameters:
    ///   - url: The endpoint.
    ///   - connectors: Supplies the transport for the URL's scheme.
    ///   - policy: Timeouts and attempts.
    ///   - source: Names the caller in errors.
    /// - Throws: ``CredentialError/Code/tlsUnavailable``.
    init(url: HTTPURL, connectors: AWSHTTPConnectors, policy: FetchPolicy, source: String) throws(CredentialError) {
        self.url = url
        self.policy = policy
        self.source = source
        self.client = try connectors.makeClient(for: url, policy: policy, source: source)
    }

    /// The request target for `path` under the endpoint's own path (which may carry a prefix).
    ///
    /// - Parameter path: A path starting with `/`, or empty for the endpoint's path itself.
    /// - Returns: The joined path, never with a doubled `/` at the joint.
    func target(_ path: String) -> String {
        var base = url.path
        while base.hasSuffix("/") { base.removeLast() }
        if path.isEmpty { return base.isEmpty ? "/" : base }
        return base + path
    }

    /// Sends a request, trying again after a transport failure or a 5xx/429 answer, as the policy allows.
    ///
    /// - Parameter makeRequest: Builds the request for each attempt (so a signed request gets a fresh signature
    ///   time on every attempt).
    /// - Returns: The last response received; it may be a 5xx when every attempt got one.
    /// - Throws: ``CredentialError/Code/transportFailed`` when the last attempt failed in transport, or what
    ///   `makeRequest` throws.
    func send(
        _ makeRequest: () throws(CredentialError) -> HTTPClientRequest
    ) throws(CredentialError) -> HTTPResponse {
        var attempt = 1
        while true {
            let request = try makeRequest()
            let outcome: Result<HTTPResponse, CredentialError>
            do {
                outcome = .success(try client.send(request))
            } catch let error as HTTPClientError {
                outcome = .failure(transportError(error))
            } catch {
                outcome = .failure(
                    CredentialError(code: .transportFailed, source: source, message: "\(url.host): \(error)")
                )
            }
            let isRetryable: Bool
            switch outcome {
            case .success(let response):
                isRetryable = response.status.code >= 500 || response.status.code == 429
            case .failure:
                isRetryable = true
            }
            if !isRetryable || attempt >= policy.attempts { return try outcome.get() }
            attempt += 1
            if policy.retryDelay > .zero {
                Thread.sleep(forTimeInterval: policy.retryDelay.timeInterval)
            }
        }
    }

    /// Describes a client error without request contents.
    private func transportError(_ error: HTTPClientError) -> CredentialError {
        let what: String
        switch error.code {
        case .timeout: what = "no answer within the timeout"
        case .connectFailed: what = "cannot connect"
        case .connectionReset: what = "connection closed before the answer was complete"
        case .responseTooLarge: what = "answer too large"
        case .invalidResponse: what = "malformed HTTP answer"
        default: what = "request failed"
        }
        return CredentialError(
            code: .transportFailed,
            source: source,
            message: "\(url.host) port \(url.port): \(what) (\(error.code.rawValue))"
        )
    }
}

extension EndpointCaller {
    /// An unsigned request to `path` under the endpoint, with `Host` set.
    ///
    /// - Parameters:
    ///   - method: The method.
    ///   - path: The path under the endpoint's own path (see ``target(_:)``).
    ///   - headers: Further headers.
    ///   - body: The body (default empty).
    /// - Returns: The request.
    func request(
        _ method: HTTPMethod,
        path: String,
        headers: [(String, String)],
        body: [UInt8] = []
    ) -> HTTPClientRequest {
        var fields = HTTPHeaders()
        fields.add(name: "Host", value: url.hostHeaderValue)
        for (name, value) in headers { fields.add(name: name, value: value) }
        return HTTPClientRequest(
            method: method,
            host: url.host,
            port: url.port,
            target: target(path),
            headers: fields,
            body: body
        )
    }
}
