import Codecs
import Foundation
import Glibc
import HTTPCore
import JSONBytes
import Pipeline
import Testing

/// A byte-level loopback HTTP/1.1 client for the `Protocol*Tests` suites, with the Firehose request builders and
/// the response checks of firehose-protocol.md §5 (P1–P4) that every fixture applies to every response.
///
/// It talks to 127.0.0.1 only and writes exactly the bytes a test asks for, so malformed requests (absolute-form
/// targets, chunked framing, bad encodings) reach the service unchanged.
struct ProtocolClient {
    /// The service's port on 127.0.0.1.
    let port: Int

    /// The stream ARN sent by default (`X-Amz-Firehose-Source-Arn`).
    static let sourceARN = "arn:aws:firehose:eu-west-1:111122223333:deliverystream/lakemark-fixtures"
    /// The request timestamp sent by default: 2024-12-04T08:13:20Z in milliseconds.
    static let requestTimestamp: Int64 = 1_733_300_000_000
    /// The `eventDay=` segment that ``requestTimestamp`` gives.
    static let requestDay = "20241204"

    /// One request as it goes on the wire.
    struct Request {
        /// How the body is framed.
        enum Framing {
            /// A `Content-Length` header is added.
            case contentLength
            /// `Transfer-Encoding: chunked`, in pieces of the given size.
            case chunked(pieceSize: Int)
            /// No framing header at all (only sensible without a body).
            case none
        }

        /// The method token, e.g. `POST`.
        var method = "POST"
        /// The request target exactly as sent (origin-form or absolute-form).
        var target = "/"
        /// The header fields in order (`Host` and framing are added by ``bytes``).
        var headers: [(name: String, value: String)] = []
        /// The body bytes (before chunked framing).
        var body: [UInt8] = []
        /// How the body is framed. Default: `Content-Length`.
        var framing = Framing.contentLength

        /// The first value of a header (case-insensitive), or `nil`.
        /// - Parameter name: The header name.
        /// - Returns: The value.
        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// Replaces every field of that name with one value, or removes them when `value` is `nil`.
        /// - Parameters:
        ///   - name: The header name (case-insensitive).
        ///   - value: The new value, or `nil` to remove the header.
        mutating func setHeader(_ name: String, _ value: String?) {
            headers.removeAll { $0.name.lowercased() == name.lowercased() }
            if let value { headers.append((name, value)) }
        }

        /// The serialized request: request line, `Host`, the fields, the framing header, the body.
        var bytes: [UInt8] {
            var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            for field in headers { head += "\(field.name): \(field.value)\r\n" }
            var framedBody = body
            switch framing {
            case .contentLength:
                head += "Content-Length: \(body.count)\r\n"
            case .chunked(let pieceSize):
                head += "Transfer-Encoding: chunked\r\n"
                framedBody = []
                var offset = 0
                while offset < body.count {
                    let end = min(body.count, offset + pieceSize)
                    framedBody += Array("\(String(end - offset, radix: 16))\r\n".utf8) + body[offset..<end] + [13, 10]
                    offset = end
                }
                framedBody += Array("0\r\n\r\n".utf8)
            case .none:
                break
            }
            return Array((head + "\r\n").utf8) + framedBody
        }
    }

    /// One response as received.
    struct Response {
        /// The status code.
        var status: Int
        /// The header fields.
        var headers: HTTPHeaders
        /// The body (empty for HEAD).
        var body: [UInt8]

        /// The body as text, for failure messages.
        var text: String { String(decoding: body.prefix(2_000), as: UTF8.self) }
    }

    /// The Firehose JSON fields of a response body.
    struct Reply {
        /// `requestId`.
        var requestID: String
        /// `timestamp`, in milliseconds.
        var timestamp: Int64
        /// `errorMessage`, when present.
        var errorMessage: String?
    }

    /// Why the client could not complete an exchange.
    struct ClientError: Error, CustomStringConvertible {
        /// What happened.
        let description: String

        /// Creates an error.
        /// - Parameter description: What happened.
        init(_ description: String) { self.description = description }
    }

    // MARK: - Connections

    /// One TCP connection to the service; requests may be sent on it one after the other (keep-alive).
    final class Connection {
        private let fd: Int32
        private var buffer: [UInt8] = []

        /// Connects to 127.0.0.1:`port` with 20-second send and receive timeouts.
        /// - Parameter port: The service port.
        /// - Throws: ``ClientError`` when the connection fails.
        init(port: Int) throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw ClientError("socket() failed: errno \(errno)") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard result == 0 else {
                let code = errno
                close(fd)
                throw ClientError("connect() failed: errno \(code)")
            }
            var timeout = timeval(tv_sec: 20, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            self.fd = fd
        }

        deinit { close(fd) }

        /// Sends bytes; returns `false` when the peer stopped reading (it may still have answered).
        /// - Parameter bytes: The bytes to send.
        /// - Returns: Whether every byte was sent.
        @discardableResult
        func send(_ bytes: [UInt8]) -> Bool {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes.withUnsafeBytes {
                    Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                }
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        }

        /// Reads one final response (a `100 Continue` before it is skipped unless `skippingContinue` is `false`); a
        /// HEAD response has no body.
        /// - Parameters:
        ///   - method: The method of the request it answers.
        ///   - skippingContinue: Whether a `100 Continue` is skipped (else it is returned). Default: `true`.
        /// - Returns: The response.
        /// - Throws: ``ClientError`` on timeout, end of stream or an unparsable head.
        func readResponse(method: String = "POST", skippingContinue: Bool = true) throws -> Response {
            var parser = ResponseHeadParser()
            while true {
                if case .complete(let head, let consumed) = try parser.parse(buffer) {
                    buffer.removeFirst(consumed)
                    let status = head.status.code
                    if status == 100, skippingContinue {
                        continue
                    }
                    if method == "HEAD" || status == 204 || status == 304 || status < 200 {
                        return Response(status: status, headers: head.headers, body: [])
                    }
                    if let length = head.headers["Content-Length"].flatMap({ Int($0) }) {
                        try fill(length)
                        let body = Array(buffer[0..<length])
                        buffer.removeFirst(length)
                        return Response(status: status, headers: head.headers, body: body)
                    }
                    if head.headers.containsToken("chunked", in: "Transfer-Encoding") {
                        return Response(status: status, headers: head.headers, body: try readChunked())
                    }
                    while let chunk = readSome(), !chunk.isEmpty { buffer += chunk }
                    defer { buffer = [] }
                    return Response(status: status, headers: head.headers, body: buffer)
                }
                guard let chunk = readSome(), !chunk.isEmpty else {
                    throw ClientError("no complete response (timeout or end of stream)")
                }
                buffer += chunk
            }
        }

        /// Whether the peer closes the connection within the receive timeout (unread bytes are dropped).
        /// - Returns: `true` at end of stream.
        func waitsForClose() -> Bool {
            while let chunk = readSome() {
                if chunk.isEmpty { return true }
            }
            return false
        }

        private func fill(_ count: Int) throws {
            while buffer.count < count {
                guard let chunk = readSome(), !chunk.isEmpty else {
                    throw ClientError("the connection ended inside a response body")
                }
                buffer += chunk
            }
        }

        private func readChunked() throws -> [UInt8] {
            var decoder = ChunkedDecoder(maxBodyBytes: 1 << 26)
            var body: [UInt8] = []
            while true {
                let input = buffer
                let consumed = try input.withUnsafeBytes { raw in try decoder.decode(raw, into: &body) }
                buffer.removeFirst(consumed)
                if decoder.isComplete { return body }
                guard let chunk = readSome(), !chunk.isEmpty else {
                    throw ClientError("the connection ended inside a chunked response body")
                }
                buffer += chunk
            }
        }

        private func readSome() -> [UInt8]? {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            return count < 0 ? nil : Array(chunk[0..<count])
        }
    }

    /// Sends one request on a new connection and reads the response.
    /// - Parameter request: The request.
    /// - Returns: The response.
    /// - Throws: ``ClientError`` when no response arrives.
    func exchange(_ request: Request) throws -> Response {
        let connection = try Connection(port: port)
        connection.send(request.bytes)
        return try connection.readResponse(method: request.method)
    }

    /// Opens one connection per request, sends every request before reading any response, then reads them all,
    /// so the service has all of them in flight at once.
    /// - Parameter requests: The requests.
    /// - Returns: The responses, in request order.
    /// - Throws: ``ClientError`` when a response is missing.
    func exchangeConcurrently(_ requests: [Request]) throws -> [Response] {
        let connections = try requests.map { _ in try Connection(port: port) }
        for (connection, request) in zip(connections, requests) { connection.send(request.bytes) }
        return try zip(connections, requests).map { try $0.readResponse(method: $1.method) }
    }

    // MARK: - Firehose requests

    /// The headers Firehose sends, plus `Accept-Encoding: gzip` so every fixture checks that the response is not
    /// compressed (P2).
    /// - Parameter requestID: `X-Amz-Firehose-Request-Id`, or `nil` to leave it out.
    /// - Returns: The header fields.
    static func firehoseHeaders(requestID: String?) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("User-Agent", "Amazon Kinesis Data Firehose Agent/1.0"),
            ("X-Amz-Firehose-Protocol-Version", "1.0"),
            ("X-Amz-Firehose-Source-Arn", sourceARN),
            ("X-Amz-Firehose-Common-Attributes", #"{"commonAttributes":{"env":"fixtures"}}"#),
            ("Accept-Encoding", "gzip, deflate"),
        ]
        if let requestID { headers.insert(("X-Amz-Firehose-Request-Id", requestID), at: 2) }
        return headers
    }

    /// A Firehose POST with an explicit body.
    /// - Parameters:
    ///   - requestID: The header request id, or `nil` to leave the header out.
    ///   - body: The body bytes.
    ///   - target: The request target. Default: `/`.
    /// - Returns: The request.
    static func firehose(requestID: String?, body: [UInt8], target: String = "/") -> Request {
        Request(method: "POST", target: target, headers: firehoseHeaders(requestID: requestID), body: body)
    }

    /// A Firehose POST whose records carry the given bytes, base64-encoded with padding.
    /// - Parameters:
    ///   - requestID: The request id, in the header and the body.
    ///   - records: The record bytes.
    /// - Returns: The request.
    static func firehose(requestID: String, records: [[UInt8]]) -> Request {
        firehose(requestID: requestID, body: body(requestID: requestID, data: records.map(base64)))
    }

    /// A Firehose body: `{"requestId":…,"timestamp":…,"records":[{"data":…},…]}`.
    /// - Parameters:
    ///   - requestID: The body `requestId`, or `nil` to leave it out.
    ///   - timestamp: The body `timestamp` in milliseconds, or `nil` to leave it out.
    ///   - data: Each record's `data` string (escaped here).
    /// - Returns: The JSON text.
    static func body(requestID: String?, timestamp: Int64? = requestTimestamp, data: [String]) -> [UInt8] {
        var writer = JSONWriter(capacity: data.reduce(64) { $0 + $1.utf8.count + 12 })
        writer.appendRaw("{")
        if let requestID {
            writer.appendRaw("\"requestId\":")
            writer.appendString(requestID)
            writer.appendRaw(",")
        }
        if let timestamp {
            writer.appendRaw("\"timestamp\":")
            writer.appendInt(timestamp)
            writer.appendRaw(",")
        }
        writer.appendRaw("\"records\":[")
        for (index, text) in data.enumerated() {
            writer.appendRaw(index == 0 ? "{\"data\":" : ",{\"data\":")
            writer.appendString(text)
            writer.appendRaw("}")
        }
        writer.appendRaw("]}")
        return writer.bytes
    }

    /// Padded standard base64 of bytes, as a string.
    /// - Parameter bytes: The bytes.
    /// - Returns: The base64 text.
    static func base64(_ bytes: [UInt8]) -> String {
        String(decoding: Base64.encode(bytes), as: UTF8.self)
    }

    /// A fresh request id in the UUID form Firehose uses.
    /// - Returns: A lowercase UUID.
    static func newRequestID() -> String { UUID().uuidString.lowercased() }

    // MARK: - Response contract (P1–P4)

    /// Checks the transport rules every response must follow (P1, P2, P4): status never 201/202/204, 3xx or 413;
    /// `Content-Type: application/json`; `Content-Length` present and right; no `Transfer-Encoding`; no
    /// `Content-Encoding`; body under 1 MiB.
    /// - Parameters:
    ///   - response: The response.
    ///   - sourceLocation: Where the check was called.
    static func expectTransportRules(_ response: Response, sourceLocation: SourceLocation = #_sourceLocation) {
        let status = response.status
        #expect(![201, 202, 204, 413].contains(status), "status \(status)", sourceLocation: sourceLocation)
        #expect(!(300..<400).contains(status), "status \(status) is a redirect", sourceLocation: sourceLocation)
        #expect(response.headers["Content-Type"] == "application/json", sourceLocation: sourceLocation)
        #expect(!response.headers.contains("Content-Encoding"), sourceLocation: sourceLocation)
        #expect(!response.headers.contains("Transfer-Encoding"), sourceLocation: sourceLocation)
        #expect(response.headers.values(for: "Content-Length").count == 1, sourceLocation: sourceLocation)
        #expect(response.body.count < 1 << 20, sourceLocation: sourceLocation)
    }

    /// Checks a Firehose response completely (P1–P4) and returns its fields.
    ///
    /// Beyond ``expectTransportRules(_:sourceLocation:)``: the status is the expected one; the body is a JSON
    /// object holding only `requestId`, `timestamp` and (on failure only) `errorMessage`; `requestId` equals
    /// `requestID`; `timestamp` is a JSON integer within 10 seconds of now, in milliseconds; `errorMessage` is a
    /// non-empty string of at most 8192 characters.
    /// - Parameters:
    ///   - response: The response.
    ///   - status: The status the fixture requires.
    ///   - requestID: The id the body must echo.
    ///   - sourceLocation: Where the check was called.
    /// - Returns: The parsed fields, or `nil` when the body is not a Firehose JSON body.
    @discardableResult
    static func expectFirehoseResponse(
        _ response: Response,
        status: Int,
        requestID: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Reply? {
        expectTransportRules(response, sourceLocation: sourceLocation)
        #expect(response.status == status, "body: \(response.text)", sourceLocation: sourceLocation)
        if let length = response.headers["Content-Length"] {
            #expect(Int(length) == response.body.count, sourceLocation: sourceLocation)
        }
        guard let tape = try? JSONTape(parsing: response.body), tape.kind(tape.rootIndex) == .object else {
            Issue.record("response body is not a JSON object: \(response.text)", sourceLocation: sourceLocation)
            return nil
        }
        let root = tape.rootIndex
        let keys = tape.members(root).compactMap { tape.string($0.key) }
        #expect(Set(keys).isSubset(of: ["requestId", "timestamp", "errorMessage"]), "keys \(keys)",
                sourceLocation: sourceLocation)
        #expect(keys.count == Set(keys).count, "duplicate keys \(keys)", sourceLocation: sourceLocation)
        let idNode = tape.value(forKey: "requestId", in: root)
        let echoed = idNode.flatMap { tape.kind($0) == .string ? tape.string($0) : nil }
        #expect(echoed == requestID, "body: \(response.text)", sourceLocation: sourceLocation)
        var timestamp: Int64 = 0
        if let node = tape.value(forKey: "timestamp", in: root), tape.kind(node) == .number,
            tape.rawBytes(node).allSatisfy({ (0x30...0x39).contains($0) }), let value = tape.int64(node)
        {
            timestamp = value
            let now = Int64(Date().timeIntervalSince1970 * 1_000)
            #expect(abs(now - value) < 10_000, "timestamp \(value), now \(now)", sourceLocation: sourceLocation)
        } else {
            Issue.record("timestamp is not a JSON integer: \(response.text)", sourceLocation: sourceLocation)
        }
        var message: String?
        if let node = tape.value(forKey: "errorMessage", in: root) {
            message = tape.kind(node) == .string ? tape.string(node) : nil
            #expect(message != nil, "errorMessage is not a string", sourceLocation: sourceLocation)
        }
        if status == 200 {
            #expect(message == nil, "errorMessage on success: \(response.text)", sourceLocation: sourceLocation)
        } else {
            #expect(message?.isEmpty == false, "no errorMessage on failure", sourceLocation: sourceLocation)
            #expect((message?.count ?? 0) <= 8_192, sourceLocation: sourceLocation)
            #expect((message?.utf16.count ?? 0) <= 8_192, sourceLocation: sourceLocation)
        }
        return Reply(requestID: echoed ?? "", timestamp: timestamp, errorMessage: message)
    }

    // MARK: - Output

    /// Parses one output line (an enriched event) and returns a string member's value.
    /// - Parameters:
    ///   - line: The NDJSON line.
    ///   - key: The top-level member name.
    /// - Returns: The decoded string, or `nil` when the line is not an object or the member is not a string.
    static func string(_ key: String, in line: [UInt8]) -> String? {
        guard let tape = try? JSONTape(parsing: line), tape.kind(tape.rootIndex) == .object,
            let node = tape.value(forKey: key, in: tape.rootIndex)
        else { return nil }
        return tape.string(node)
    }
}

extension ProtocolClient {
    /// A running service with its own temporary directory, for one test.
    final class Harness {
        /// The temporary directory the test owns (removed by ``shutdown()``).
        let root: URL
        /// The sink directory, `<root>/lake` unless the test points the sink elsewhere.
        let lake: URL
        /// The running service.
        let service: Service
        /// A client for the service.
        let client: ProtocolClient

        /// Starts a service on an ephemeral loopback port writing under `<root>/lake`.
        /// - Parameters:
        ///   - root: The test's directory; default: a fresh temporary directory.
        ///   - adjust: Changes to the test configuration (limits, keys, sink, ingest path).
        /// - Throws: When the directory or the service cannot be set up.
        init(root: URL? = nil, _ adjust: (inout Configuration) -> Void = { _ in }) throws {
            let root = try root ?? TestEnvironment.temporaryDirectory()
            self.root = root
            self.lake = root.appendingPathComponent("lake")
            let configuration = TestEnvironment.configuration(sink: lake, adjust)
            self.service = try TestEnvironment.startService(configuration)
            self.client = ProtocolClient(port: service.boundPort)
        }

        /// Stops the service and removes the directory.
        func shutdown() {
            service.shutdown()
            try? FileManager.default.removeItem(at: root)
        }

        /// Sends a request on a new connection.
        /// - Parameter request: The request.
        /// - Returns: The response.
        /// - Throws: ``ClientError`` when no response arrives.
        func send(_ request: Request) throws -> Response { try client.exchange(request) }

        /// Sends a Firehose request and checks the response contract (P1–P4) with the expected status and id.
        /// - Parameters:
        ///   - request: The request.
        ///   - status: The required status.
        ///   - echoedID: The id the response must echo; default: the request's header id.
        ///   - sourceLocation: Where the check was called.
        /// - Returns: The response and its parsed Firehose fields.
        /// - Throws: ``ClientError`` when no response arrives.
        @discardableResult
        func deliver(
            _ request: Request,
            status: Int,
            echoedID: String? = nil,
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws -> (response: Response, reply: Reply?) {
            let response = try send(request)
            let id = echoedID ?? request.header("X-Amz-Firehose-Request-Id") ?? ""
            let reply = ProtocolClient.expectFirehoseResponse(
                response, status: status, requestID: id, sourceLocation: sourceLocation)
            return (response, reply)
        }

        /// Every `.json.gz` object in the sink, sorted.
        /// - Returns: The object URLs.
        /// - Throws: When the directory cannot be listed.
        func objectFiles() throws -> [URL] { try TestEnvironment.objectFiles(under: lake) }

        /// The object keys (paths relative to the sink directory), sorted.
        /// - Returns: The keys.
        /// - Throws: When the directory cannot be listed.
        func objectKeys() throws -> [String] {
            try objectFiles().map { String($0.path.dropFirst(lake.path.count + 1)) }
        }

        /// Every output line (enriched event) across all objects.
        /// - Returns: The lines, object by object.
        /// - Throws: When an object cannot be read or inflated.
        func lines() throws -> [[UInt8]] { try TestEnvironment.outputLines(under: lake) }

        /// Every regular file under the test directory (temporary files included), as relative paths.
        /// - Returns: The paths, sorted.
        func allFiles() -> [String] {
            guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [] }
            var files: [String] = []
            while let path = enumerator.nextObject() as? String {
                var isDirectory: ObjCBool = false
                let full = root.appendingPathComponent(path).path
                // The sink's per-process temporary area keeps a lock file while the service runs; temporary
                // files themselves (`.tmp-*`) still count.
                let isAreaLock = path.contains(".lakemark-tmp/") && path.hasSuffix("/lock")
                if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue,
                    !isAreaLock
                {
                    files.append(path)
                }
            }
            return files.sorted()
        }
    }

    /// Runs a test body against a fresh service and always shuts it down.
    /// - Parameters:
    ///   - adjust: Changes to the test configuration.
    ///   - body: The test body.
    /// - Returns: What the body returns.
    /// - Throws: What the set-up or the body throws.
    static func withService<T>(
        _ adjust: (inout Configuration) -> Void = { _ in },
        _ body: (Harness) throws -> T
    ) throws -> T {
        let harness = try Harness(adjust)
        defer { harness.shutdown() }
        return try body(harness)
    }
}
