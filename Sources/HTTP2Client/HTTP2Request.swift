import CNGHTTP2
import HTTPClient
import HTTPCore

/// The HTTP/2 header block of a request: the pseudo-headers (`:method`, `:scheme`, `:authority`, `:path`)
/// followed by the request's fields with lower-case names, without the HTTP/1.1 connection-specific ones.
struct HTTP2Request: Sendable {
    /// Fields that RFC 9113 §8.2.2 forbids, or that HTTP/2 expresses otherwise (`Host` becomes `:authority`;
    /// `Content-Length` is set from the body).
    private static let dropped: Set<String> = [
        "host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te",
        "content-length",
    ]

    /// Names and values, in order.
    let fields: [(name: [UInt8], value: [UInt8])]

    /// Builds the header block of `request`.
    /// - Parameters:
    ///   - request: The request; its `Host` field (or else `host:port`) becomes `:authority`.
    ///   - scheme: `https` or `http`.
    /// - Throws: ``HTTP2ClientError`` with `invalidRequest` for a field name that is not a token or a value with
    ///   a control character other than tab (the message names the field by position, never its value).
    init(_ request: HTTPClientRequest, scheme: String) throws(HTTP2ClientError) {
        let authority =
            request.headers["Host"]
            ?? Self.authority(host: request.host, port: request.port, defaultPort: scheme == "https" ? 443 : 80)
        var fields: [(name: [UInt8], value: [UInt8])] = [
            (Array(":method".utf8), Array(request.method.rawValue.utf8)),
            (Array(":scheme".utf8), Array(scheme.utf8)),
            (Array(":authority".utf8), Array(authority.utf8)),
            (Array(":path".utf8), Array((request.target.isEmpty ? "/" : request.target).utf8)),
        ]
        for (position, field) in request.headers.fields.enumerated() {
            let name = field.name.lowercased()
            guard !Self.dropped.contains(name) else { continue }
            let nameBytes = Array(name.utf8)
            let valueBytes = Array(field.value.utf8)
            guard !nameBytes.isEmpty, nameBytes.allSatisfy(Self.isTokenByte),
                valueBytes.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) })
            else {
                throw HTTP2ClientError(.invalidRequest, "header field \(position + 1) is not valid in HTTP/2")
            }
            fields.append((nameBytes, valueBytes))
        }
        if !request.body.isEmpty || request.method == .post || request.method == .put {
            fields.append((Array("content-length".utf8), Array(String(request.body.count).utf8)))
        }
        self.fields = fields
    }

    /// Submits the request on `session` (under the connection's lock).
    /// - Parameters:
    ///   - session: The nghttp2 session.
    ///   - hasBody: Whether DATA frames follow (read by ``HTTP2SessionState/Callbacks/readBody``, which finds the
    ///     body through the session's user data).
    /// - Returns: The stream id, or a negative nghttp2 error code.
    func submit(to session: OpaquePointer, hasBody: Bool) -> Int32 {
        var flat: [UInt8] = []
        var spans: [(name: Range<Int>, value: Range<Int>)] = []
        for field in self.fields {
            let nameStart = flat.count
            flat += field.name
            let valueStart = flat.count
            flat += field.value
            spans.append((nameStart..<valueStart, valueStart..<flat.count))
        }
        return flat.withUnsafeMutableBufferPointer { bytes -> Int32 in
            let base = bytes.baseAddress ?? UnsafeMutablePointer<UInt8>(bitPattern: 1)!
            var list = spans.map { span in
                nghttp2_nv(
                    name: base + span.name.lowerBound,
                    value: base + span.value.lowerBound,
                    namelen: span.name.count,
                    valuelen: span.value.count,
                    flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)
                )
            }
            guard hasBody else {
                return nghttp2_submit_request(session, nil, &list, list.count, nil, nil)
            }
            var provider = nghttp2_data_provider(
                source: nghttp2_data_source(ptr: nil),
                read_callback: HTTP2SessionState.Callbacks.readBody
            )
            return nghttp2_submit_request(session, nil, &list, list.count, &provider, nil)
        }
    }

    /// `host[:port]` with brackets for IPv6, the port left out when it is the scheme's default.
    private static func authority(host: String, port: Int, defaultPort: Int) -> String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == defaultPort ? name : "\(name):\(port)"
    }

    /// Whether a byte may appear in a lower-case HTTP/2 field name (an RFC 9110 token without upper case).
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
