/// A byte stream to one server that ``HTTPClient`` sends requests over: plain TCP today, TLS later.
///
/// A connection is used by one request at a time; the client's pool moves it between threads, hence `Sendable`.
public protocol HTTPTransportConnection: AnyObject, Sendable {
    /// Writes `first` then `second` completely.
    /// - Parameters:
    ///   - first: The first bytes (the request head).
    ///   - second: The following bytes (the body); may be empty.
    ///   - timeout: How long the write may make no progress.
    /// - Throws: ``HTTPClientError`` with `timeout`, `connectionReset` or `ioFailed`.
    func write(
        _ first: UnsafeRawBufferPointer,
        _ second: UnsafeRawBufferPointer,
        timeout: Duration
    ) throws(HTTPClientError)

    /// Reads at least one byte, or detects end of stream.
    /// - Parameters:
    ///   - buffer: The destination.
    ///   - timeout: How long to wait for data.
    /// - Returns: The number of bytes read; 0 means the peer closed the stream.
    /// - Throws: ``HTTPClientError`` with `timeout`, `connectionReset` or `ioFailed`.
    func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration) throws(HTTPClientError) -> Int

    /// Whether an idle connection still looks usable: open, with no unexpected bytes waiting. Must not block.
    var isReusable: Bool { get }

    /// Closes the connection; further calls do nothing.
    func close()
}

/// Opens ``HTTPTransportConnection``s.
public protocol HTTPTransportConnector: Sendable {
    /// Connects to `host:port`.
    /// - Parameters:
    ///   - host: A host name or an IPv4/IPv6 literal (brackets allowed).
    ///   - port: The TCP port.
    ///   - timeout: The longest time to establish the connection.
    /// - Returns: The open connection.
    /// - Throws: ``HTTPClientError`` with `connectFailed` or `timeout`.
    func connect(host: String, port: Int, timeout: Duration) throws(HTTPClientError) -> any HTTPTransportConnection
}
