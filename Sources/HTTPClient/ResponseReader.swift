import HTTPCore

/// Reads one response (skipping 1xx interim responses) from a connection.
struct ResponseReader {
    private let connection: any HTTPTransportConnection
    private let configuration: HTTPClient.Configuration
    private let scratch: UnsafeMutableRawBufferPointer
    private var buffer: [UInt8] = []
    /// Whether any byte has been received; a failure before the first byte on a reused connection means the
    /// server had closed it while idle, so the request can be retried.
    private(set) var hasReceivedBytes = false

    /// Creates a reader.
    /// - Parameters:
    ///   - connection: The connection the request was written to.
    ///   - configuration: Timeouts and limits.
    ///   - scratch: A read buffer owned by the caller for the reader's lifetime.
    init(
        connection: any HTTPTransportConnection,
        configuration: HTTPClient.Configuration,
        scratch: UnsafeMutableRawBufferPointer
    ) {
        self.connection = connection
        self.configuration = configuration
        self.scratch = scratch
    }

    /// Reads the final response to a request.
    /// - Parameter method: The request method (a HEAD response has no body).
    /// - Returns: The response and whether the connection can carry another request.
    /// - Throws: ``HTTPClientError``.
    mutating func read(method: HTTPMethod) throws(HTTPClientError) -> (response: HTTPResponse, isReusable: Bool) {
        while true {
            let head = try self.readHead()
            if head.status.code < 200 {
                guard head.status.code != 101 else {
                    throw HTTPClientError(.invalidResponse, detail: "unexpected 101 Switching Protocols")
                }
                continue
            }
            let framing: HTTPBodyFraming
            do {
                framing = try HTTPBodyFraming.forResponse(head, requestMethod: method)
            } catch {
                throw HTTPClientError(.invalidResponse, parseError: error)
            }
            let body: [UInt8]
            switch framing {
            case .none:
                body = []
            case .contentLength(let length):
                body = try self.readFixedBody(length: length)
            case .chunked:
                body = try self.readChunkedBody()
            case .untilClose:
                body = try self.readUntilClose()
            }
            let response = HTTPResponse(status: head.status, headers: head.headers, body: body)
            let isReusable = head.isKeepAlive && framing != .untilClose && self.buffer.isEmpty
            return (response, isReusable)
        }
    }

    private mutating func readHead() throws(HTTPClientError) -> HTTPResponseHead {
        let limits = HTTPHeadLimits(maxHeadBytes: self.configuration.maxResponseHeadBytes)
        var parser = ResponseHeadParser(limits: limits)
        while true {
            let parsed = self.buffer.withUnsafeBytes { raw in
                Result { () throws(HTTPParseError) -> ResponseHeadParser.ParseResult in try parser.parse(raw) }
            }
            switch parsed {
            case .failure(let error) where error.code == .headTooLarge || error.code == .tooManyHeaders:
                throw HTTPClientError(.responseTooLarge, parseError: error)
            case .failure(let error):
                throw HTTPClientError(.invalidResponse, parseError: error)
            case .success(.complete(let head, let consumed)):
                self.buffer.removeFirst(consumed)
                return head
            case .success(.needMoreData):
                if try self.fill() == 0 {
                    throw HTTPClientError(
                        .connectionReset,
                        parseError: HTTPParseError(.incompleteMessage),
                        detail: self.hasReceivedBytes ? "closed inside the response head" : "closed before responding"
                    )
                }
            }
        }
    }

    private mutating func readFixedBody(length: Int) throws(HTTPClientError) -> [UInt8] {
        guard length <= self.configuration.maxResponseBodyBytes else {
            throw HTTPClientError(.responseTooLarge, detail: "Content-Length \(length)")
        }
        let fromBuffer = min(length, self.buffer.count)
        var failure: HTTPClientError?
        let connection = self.connection
        let timeout = self.configuration.readTimeout
        let body = [UInt8](unsafeUninitializedCapacity: length) { destination, initialized in
            let raw = UnsafeMutableRawBufferPointer(destination)
            self.buffer.withUnsafeBytes { buffered in
                raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffered[0..<fromBuffer]))
            }
            initialized = fromBuffer
            while initialized < length {
                do throws(HTTPClientError) {
                    let destination = UnsafeMutableRawBufferPointer(rebasing: raw[initialized...])
                    let count = try connection.read(into: destination, timeout: timeout)
                    guard count > 0 else {
                        failure = Self.truncated()
                        return
                    }
                    initialized += count
                } catch {
                    failure = error
                    return
                }
            }
        }
        self.buffer.removeFirst(fromBuffer)
        if let failure {
            throw failure
        }
        return body
    }

    private mutating func readChunkedBody() throws(HTTPClientError) -> [UInt8] {
        var decoder = ChunkedDecoder(maxBodyBytes: self.configuration.maxResponseBodyBytes)
        var body: [UInt8] = []
        var input = self.buffer
        self.buffer = []
        while true {
            let decoded = input.withUnsafeBytes { raw in
                Result { () throws(HTTPParseError) -> Int in try decoder.decode(raw, into: &body) }
            }
            switch decoded {
            case .failure(let error) where error.code == .bodyTooLarge:
                throw HTTPClientError(.responseTooLarge, parseError: error)
            case .failure(let error):
                throw HTTPClientError(.invalidResponse, parseError: error)
            case .success(let consumed):
                if decoder.isComplete {
                    self.buffer = Array(input[consumed...])
                    return body
                }
            }
            let count = try self.connection.read(into: self.scratch, timeout: self.configuration.readTimeout)
            guard count > 0 else {
                throw Self.truncated()
            }
            input = Array(UnsafeRawBufferPointer(rebasing: self.scratch[0..<count]))
        }
    }

    private mutating func readUntilClose() throws(HTTPClientError) -> [UInt8] {
        var body = self.buffer
        self.buffer = []
        while true {
            let count = try self.connection.read(into: self.scratch, timeout: self.configuration.readTimeout)
            if count == 0 {
                return body
            }
            guard body.count + count <= self.configuration.maxResponseBodyBytes else {
                throw HTTPClientError(.responseTooLarge, detail: "close-delimited body")
            }
            body.append(contentsOf: UnsafeRawBufferPointer(rebasing: self.scratch[0..<count]))
        }
    }

    /// Reads more bytes into the buffer.
    /// - Returns: The number of bytes read; 0 at end of stream.
    private mutating func fill() throws(HTTPClientError) -> Int {
        let count = try self.connection.read(into: self.scratch, timeout: self.configuration.readTimeout)
        if count > 0 {
            self.hasReceivedBytes = true
            self.buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: self.scratch[0..<count]))
        }
        return count
    }

    private static func truncated() -> HTTPClientError {
        HTTPClientError(
            .connectionReset,
            parseError: HTTPParseError(.incompleteMessage),
            detail: "closed inside the body"
        )
    }
}
