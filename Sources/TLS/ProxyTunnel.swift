import HTTPClient
import HTTPCore

/// Opens a byte stream to `host:port` through an HTTP proxy with `CONNECT` (RFC 9110 §9.3.6).
enum ProxyTunnel {
    /// The largest proxy response head read.
    static let maxHeadBytes = 16_384

    /// Connects to the proxy, asks for a tunnel and waits for a 2xx answer.
    /// - Parameters:
    ///   - proxy: The proxy.
    ///   - host: The destination host.
    ///   - port: The destination port.
    ///   - deadline: When the tunnel must be up.
    ///   - connector: Opens the TCP connection to the proxy.
    /// - Returns: The connection, and any bytes the proxy sent after its response head (already tunnel data).
    /// - Throws: ``TLSError``: `connectFailed` or `timeout` reaching the proxy, `proxyFailed` when it refuses.
    static func open(
        through proxy: HTTPProxy,
        host: String,
        port: Int,
        deadline: ContinuousClock.Instant,
        connector: any HTTPTransportConnector
    ) throws(TLSError) -> (connection: any HTTPTransportConnection, leftover: [UInt8]) {
        let connection: any HTTPTransportConnection
        do {
            connection = try connector.connect(host: proxy.host, port: proxy.port, timeout: deadline - .now)
        } catch {
            throw TLSError.transport(error, during: "connecting to proxy \(proxy.host):\(proxy.port)")
        }
        do throws(TLSError) {
            let leftover = try self.request(on: connection, proxy: proxy, host: host, port: port, deadline: deadline)
            return (connection, leftover)
        } catch {
            connection.close()
            throw error
        }
    }

    private static func request(
        on connection: any HTTPTransportConnection,
        proxy: HTTPProxy,
        host: String,
        port: Int,
        deadline: ContinuousClock.Instant
    ) throws(TLSError) -> [UInt8] {
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var head = "CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n"
        if let authorization = proxy.authorization {
            head += "Proxy-Authorization: \(authorization)\r\n"
        }
        head += "\r\n"
        let bytes = Array(head.utf8)
        let sent = bytes.withUnsafeBytes { raw in
            Result { () throws(HTTPClientError) in
                try connection.write(raw, UnsafeRawBufferPointer(start: nil, count: 0), timeout: deadline - .now)
            }
        }
        if case .failure(let error) = sent {
            throw TLSError.transport(error, during: "sending CONNECT to the proxy")
        }
        var parser = ResponseHeadParser(limits: HTTPHeadLimits(maxHeadBytes: self.maxHeadBytes))
        var received: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 4_096, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let count: Int
            do {
                count = try connection.read(into: chunk, timeout: deadline - .now)
            } catch {
                throw TLSError.transport(error, during: "waiting for the proxy's CONNECT answer")
            }
            guard count > 0 else {
                throw TLSError(.proxyFailed, "the proxy closed the connection before answering CONNECT")
            }
            received.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            let parsed: ResponseHeadParser.ParseResult
            do {
                parsed = try parser.parse(received)
            } catch {
                throw TLSError(.proxyFailed, "the proxy's answer to CONNECT is not HTTP (\(error.code))")
            }
            guard case .complete(let response, let consumed) = parsed else {
                continue
            }
            guard (200..<300).contains(response.status.code) else {
                throw TLSError(.proxyFailed, "the proxy refused CONNECT \(authority): HTTP \(response.status.code)")
            }
            return Array(received[consumed...])
        }
    }
}
