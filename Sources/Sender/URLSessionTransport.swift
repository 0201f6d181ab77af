import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// A ``FirehoseTransport`` over Foundation's `URLSession` (http and https, system TLS trust).
///
/// The session is ephemeral (no cache, no cookies), does not follow redirects (Firehose does not), and sends
/// `Accept-Encoding: identity`. A compressed response still shows its `Content-Encoding` header, which
/// ``FirehoseResponseValidator`` reports as a protocol failure.
public final class URLSessionTransport: FirehoseTransport {
    private let session: URLSession
    /// The per-request timeout, in seconds.
    public let timeoutSeconds: Double

    /// Creates a transport.
    ///
    /// - Parameters:
    ///   - timeoutSeconds: The longest wait for one request, in seconds. Default: 180 (Firehose's limit).
    ///   - maxConnections: The most connections to one host. Default: 1.
    public init(timeoutSeconds: Double = 180, maxConnections: Int = 1) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.timeoutIntervalForResource = timeoutSeconds
        configuration.httpMaximumConnectionsPerHost = max(1, maxConnections)
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration, delegate: RedirectRefuser(), delegateQueue: nil)
        self.timeoutSeconds = timeoutSeconds
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Posts `body` and waits for the response.
    ///
    /// - Parameters:
    ///   - url: The endpoint URL.
    ///   - headers: The request headers.
    ///   - body: The request body.
    /// - Returns: The status, headers and body of the response.
    /// - Throws: ``SenderError`` with code `transportFailure` when no HTTP response arrived.
    public func post(url: URL, headers: [(String, String)], body: [UInt8]) throws
        -> (status: Int, headers: [(String, String)], body: [UInt8])
    {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeoutSeconds)
        request.httpMethod = "POST"
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        request.httpBody = Data(body)

        let outcome = Mutex<Result<(Data, HTTPURLResponse), SenderError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            let result: Result<(Data, HTTPURLResponse), SenderError>
            if let response = response as? HTTPURLResponse {
                result = .success((data ?? Data(), response))
            } else {
                let detail = error.map { ($0 as NSError).localizedDescription } ?? "no HTTP response"
                result = .failure(SenderError(code: .transportFailure, message: detail))
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        task.resume()
        done.wait()
        let (data, response) = try outcome.withLock { $0! }.get()
        var responseHeaders: [(String, String)] = []
        for (name, value) in response.allHeaderFields {
            responseHeaders.append(("\(name)", "\(value)"))
        }
        return (response.statusCode, responseHeaders, [UInt8](data))
    }
}

/// Refuses every redirect, so that a 3xx response is returned as it is.
private final class RedirectRefuser: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
