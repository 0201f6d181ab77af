import Foundation

/// Sends one HTTP POST and returns the raw response; implemented by ``HTTPClientTransport``.
public protocol FirehoseTransport: Sendable {
    /// Posts `body` to `url`.
    ///
    /// Implementations must not follow redirects and must not decompress the response body.
    ///
    /// - Parameters:
    ///   - url: The endpoint URL (`http` or `https`).
    ///   - headers: The request headers (without `Content-Length`, which the transport sets).
    ///   - body: The request body.
    /// - Returns: The status code, the response headers and the body as received.
    /// - Throws: When no response arrived (connection failure, timeout, TLS failure).
    func post(url: URL, headers: [(String, String)], body: [UInt8]) throws
        -> (status: Int, headers: [(String, String)], body: [UInt8])
}
