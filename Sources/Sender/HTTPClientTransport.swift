import Foundation
import HTTPClient
import HTTPCore

/// The ``FirehoseTransport`` of `lakemark send`: the project's own HTTP/1.1 client, over TLS (OpenSSL, with
/// certificate and host-name verification; `AWS_CA_BUNDLE` replaces the system bundle; `HTTPS_PROXY`/`NO_PROXY`)
/// for `https://` URLs. Keep-alive connections, nothing added to the request but `Host` and `Content-Length`, and
/// the response exactly as received (a compressed response stays compressed and fails validation).
public final class HTTPClientTransport: FirehoseTransport {
    private let client: HTTPClient

    /// Creates a transport.
    /// - Parameters:
    ///   - timeoutSeconds: read and write timeout per request, in seconds.
    ///   - maxConnections: idle keep-alive connections kept per endpoint.
    ///   - tls: the TLS connector for `https://` URLs; `nil` for plain `http://`.
    public init(timeoutSeconds: Double, maxConnections: Int, tls: (any HTTPTransportConnector)? = nil) {
        var configuration = HTTPClient.Configuration()
        configuration.readTimeout = .milliseconds(Int(timeoutSeconds * 1_000))
        configuration.writeTimeout = .milliseconds(Int(timeoutSeconds * 1_000))
        configuration.maxIdleConnectionsPerEndpoint = max(1, maxConnections)
        if let tls {
            client = HTTPClient(configuration: configuration, connector: tls)
        } else {
            client = HTTPClient(configuration: configuration)
        }
    }

    /// Posts a request body and returns the response.
    public func post(url: URL, headers: [(String, String)], body: [UInt8]) throws
        -> (status: Int, headers: [(String, String)], body: [UInt8])
    {
        let target = try HTTPURL(parsing: url.absoluteString)
        var fields = HTTPHeaders()
        for (name, value) in headers { fields.add(name: name, value: value) }
        let response = try client.send(HTTPClientRequest(method: .post, url: target, headers: fields, body: body))
        return (response.status.code, response.headers.map { ($0.name, $0.value) }, response.body)
    }
}
