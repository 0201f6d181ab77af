import Foundation
import JSONBytes
import Pipeline
import Testing

/// Fixtures H1–H18 of firehose-protocol.md §5 (protocol, headers, auth) against the running service over real
/// HTTP on 127.0.0.1. Every response is also checked against the response contract (P1–P4).
@Suite struct ProtocolHeaderTests {
    /// The loopback client and its helpers.
    typealias Client = ProtocolClient

    /// `hello` and `hello world`, as in the AWS documentation example.
    static let hello = "aGVsbG8="
    static let helloWorld = "aGVsbG8gd29ybGQ="

    /// A valid one-record request (`hello`).
    static func helloRequest(_ requestID: String) -> Client.Request {
        Client.firehose(requestID: requestID, body: Client.body(requestID: requestID, data: [hello]))
    }

    /// The `_raw` values of every output line, in order.
    static func rawValues(_ harness: Client.Harness) throws -> [String?] {
        try harness.lines().map { Client.string("_raw", in: $0) }
    }

    /// H1: minimal valid request → 200 FJ echoing the id; the object is on disk when the response arrives. The
    /// same with every header name in lowercase (as proxies forward them).
    @Test func h1MinimalValidRequest() throws {
        try Client.withService { harness in
            let id = Client.newRequestID()
            try harness.deliver(Self.helloRequest(id), status: 200)
            let keys = try harness.objectKeys()
            #expect(keys.count == 1)
            let suffix = "/region=eu-west-1/accountId=111122223333/eventDay=\(Client.requestDay)/\(id)-0.json.gz"
            #expect(keys.first?.hasPrefix("ext/") == true)
            #expect(keys.first?.hasSuffix(suffix) == true, "\(keys)")
            let lines = try harness.lines()
            #expect(lines.count == 1)
            #expect(lines.first.flatMap { Client.string("_raw", in: $0) } == "hello")
            #expect(
                lines.first.map { String(decoding: $0, as: UTF8.self).contains("\"secberus_compliance\":[") }
                    == true
            )
            #expect(harness.allFiles().allSatisfy { !$0.contains(".tmp") }, "\(harness.allFiles())")
            let lowercase = Client.newRequestID()
            var request = Self.helloRequest(lowercase)
            request.headers = request.headers.map { ($0.name.lowercased(), $0.value) }
            try harness.deliver(request, status: 200)
            #expect(try harness.objectKeys().count == 2)
        }
    }

    /// H2: the AWS documentation example (two records) → 200; the object holds both records in order.
    @Test func h2AWSDocumentationExample() throws {
        try Client.withService { harness in
            let id = Client.newRequestID()
            let body = Client.body(requestID: id, timestamp: 1_578_090_901_599, data: [Self.hello, Self.helloWorld])
            try harness.deliver(Client.firehose(requestID: id, body: body), status: 200)
            #expect(try harness.objectKeys().count == 1)
            #expect(try Self.rawValues(harness) == ["hello", "hello world"])
        }
    }

    /// H3 (decided): no request-id header → 400 echoing the body id; with no id anywhere → 400 echoing "".
    @Test func h3MissingRequestIDHeader() throws {
        try Client.withService { harness in
            let bodyID = Client.newRequestID()
            let request = Client.firehose(requestID: nil, body: Client.body(requestID: bodyID, data: [Self.hello]))
            try harness.deliver(request, status: 400, echoedID: bodyID)
            let anonymous = Client.firehose(requestID: nil, body: Client.body(requestID: nil, data: [Self.hello]))
            try harness.deliver(anonymous, status: 400, echoedID: "")
            var empty = Self.helloRequest(bodyID)
            empty.setHeader("X-Amz-Firehose-Request-Id", "")
            try harness.deliver(empty, status: 400, echoedID: bodyID)
            #expect(try harness.objectFiles().isEmpty)
        }
    }

    /// H4 (decided): header and body ids differ → 400 echoing the header id; nothing stored.
    @Test func h4RequestIDMismatch() throws {
        try Client.withService { harness in
            let headerID = Client.newRequestID()
            let body = Client.body(requestID: Client.newRequestID(), data: [Self.hello])
            let (_, reply) = try harness.deliver(Client.firehose(requestID: headerID, body: body), status: 400)
            #expect(reply?.errorMessage?.contains("requestId") == true)
            #expect(try harness.objectFiles().isEmpty)
        }
    }

    /// H5: body `requestId` missing, empty or not a string → 400 echoing the header id.
    @Test func h5BodyRequestIDMissingOrEmpty() throws {
        try Client.withService { harness in
            let id = Client.newRequestID()
            let bodies = [
                Client.body(requestID: nil, data: [Self.hello]),
                Client.body(requestID: "", data: [Self.hello]),
                Array(#"{"requestId":123,"timestamp":1733300000000,"records":[{"data":"aGVsbG8="}]}"#.utf8),
                Array(#"{"requestId":null,"timestamp":1733300000000,"records":[{"data":"aGVsbG8="}]}"#.utf8),
            ]
            for body in bodies {
                try harness.deliver(Client.firehose(requestID: id, body: body), status: 400)
            }
            #expect(try harness.objectFiles().isEmpty)
        }
    }

    /// H6: access key configured: missing → 401 (checked before the body, so a garbage body is still 401), wrong
    /// (same length, prefix, extension, other case, empty) → 401, right → 200. The error message never contains a
    /// key. Nothing is stored for a refused request.
    @Test func h6AccessKey() throws {
        let key = "fh-key-6a1f0e2d3c4b5a69"
        try Client.withService({ $0.accessKeys = [key] }) { harness in
            let id = Client.newRequestID()
            try harness.deliver(Self.helloRequest(id), status: 401)
            var garbage = Client.firehose(requestID: id, body: Array("{not json".utf8))
            garbage.setHeader("Content-Encoding", "br")
            try harness.deliver(garbage, status: 401)
            let wrongKeys = [
                "fh-key-6a1f0e2d3c4b5a6A", "fh-key-6a1f0e2d3c4b5a6", key + "0", "wrong", key.uppercased(), "",
            ]
            for wrong in wrongKeys {
                var request = Self.helloRequest(id)
                request.setHeader("X-Amz-Firehose-Access-Key", wrong)
                let (_, reply) = try harness.deliver(request, status: 401)
                #expect(reply?.errorMessage?.contains(wrong) == false)
                #expect(reply?.errorMessage?.contains(key) == false)
            }
            #expect(try harness.objectFiles().isEmpty)
            var right = Self.helloRequest(id)
            right.setHeader("X-Amz-Firehose-Access-Key", key)
            try harness.deliver(right, status: 200)
            #expect(try harness.lines().count == 1)
        }
    }

    /// H6: two keys configured for rotation: each is accepted, a third is refused.
    @Test func h6AccessKeyRotation() throws {
        let (old, new) = ("old-key-0123456789abcdef", "new-key-fedcba9876543210")
        try Client.withService({ $0.accessKeys = [old, new] }) { harness in
            for (key, status) in [(old, 200), (new, 200), ("mid-key-0123456789abcdef", 401)] {
                var request = Self.helloRequest(Client.newRequestID())
                request.setHeader("X-Amz-Firehose-Access-Key", key)
                try harness.deliver(request, status: status)
            }
            #expect(try harness.objectKeys().count == 2)
        }
    }

    /// H7: during the overlap window a retry of the same request id arrives with the new key → 200, and the
    /// stored objects are the same as after the first attempt.
    @Test func h7RetryWithRotatedKey() throws {
        let (old, new) = ("old-key-0123456789abcdef", "new-key-fedcba9876543210")
        try Client.withService({ $0.accessKeys = [old, new] }) { harness in
            let id = Client.newRequestID()
            var first = Self.helloRequest(id)
            first.setHeader("X-Amz-Firehose-Access-Key", old)
            try harness.deliver(first, status: 200)
            let keys = try harness.objectKeys()
            let bytes = try harness.objectFiles().map { try Data(contentsOf: $0) }
            var retry = Self.helloRequest(id)
            retry.setHeader("X-Amz-Firehose-Access-Key", new)
            try harness.deliver(retry, status: 200)
            #expect(try harness.objectKeys() == keys)
            #expect(try harness.objectFiles().map { try Data(contentsOf: $0) } == bytes)
        }
    }

    /// H8: a 4096-byte key holding JSON, spaces and `=` padding is compared verbatim.
    @Test func h8LongAccessKeyVerbatim() throws {
        let prefix = #"{"api_key": "k = v, "#
        let suffix = #" ==", "note": "a b"}=="#
        let filler = String(repeating: "Zm9v YmFy", count: 600)
        let key = prefix + String(filler.prefix(4_096 - prefix.utf8.count - suffix.utf8.count)) + suffix
        #expect(key.utf8.count == 4_096)
        try Client.withService({ $0.accessKeys = [key] }) { harness in
            var request = Self.helloRequest(Client.newRequestID())
            request.setHeader("X-Amz-Firehose-Access-Key", key)
            try harness.deliver(request, status: 200)
            var altered = Self.helloRequest(Client.newRequestID())
            altered.setHeader("X-Amz-Firehose-Access-Key", String(key.dropLast()) + "A")
            try harness.deliver(altered, status: 401)
            #expect(try harness.objectKeys().count == 1)
        }
    }

    /// H8 as operators configure it: a key holding JSON, commas, spaces and `=` set through the configuration file
    /// (a JSON array) and through `LAKEMARK_ACCESS_KEYS` must be accepted verbatim, next to a rotation partner.
    @Test func h8AccessKeyWithCommasFromConfiguration() throws {
        let key = #"{"api_key": "a1b2, c3d4 == e5f6", "scope": ["x", "y"]}=="#
        let partner = "rotation-partner-key"
        let file = try TestEnvironment.temporaryDirectory().appendingPathComponent("lakemark.json")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        var writer = JSONWriter()
        writer.appendRaw(#"{"access_keys":["#)
        writer.appendString(key)
        writer.appendRaw(",")
        writer.appendString(partner)
        writer.appendRaw("]}")
        try Data(writer.bytes).write(to: file)
        // In the environment, keys that contain commas use the JSON array form.
        let sources: [(String, [String: String], String?)] = [
            ("file", [:], file.path),
            (
                "environment",
                ["LAKEMARK_ACCESS_KEYS": String(decoding: writer.bytes.dropFirst(15).dropLast(), as: UTF8.self)], nil
            ),
        ]
        for (origin, environment, path) in sources {
            let loaded = try ConfigurationLoader.load(path: path, environment: environment)
            try Client.withService({ $0.accessKeys = loaded.accessKeys }) { harness in
                for accepted in [key, partner] {
                    var request = Self.helloRequest(Client.newRequestID())
                    request.setHeader("X-Amz-Firehose-Access-Key", accepted)
                    let response = try harness.send(request)
                    #expect(response.status == 200, "key from the \(origin): \(accepted)")
                }
                var fragment = Self.helloRequest(Client.newRequestID())
                fragment.setHeader("X-Amz-Firehose-Access-Key", #"c3d4 == e5f6""#)
                #expect(try harness.send(fragment).status == 401, "a fragment of the key from the \(origin)")
            }
        }
    }

    /// H9: no key configured (dev mode) → every request is accepted, with or without a key header.
    @Test func h9NoKeyConfigured() throws {
        try Client.withService { harness in
            try harness.deliver(Self.helloRequest(Client.newRequestID()), status: 200)
            var keyed = Self.helloRequest(Client.newRequestID())
            keyed.setHeader("X-Amz-Firehose-Access-Key", "anything")
            try harness.deliver(keyed, status: 200)
            #expect(try harness.objectKeys().count == 2)
        }
    }

    /// H10 (decided: accept): protocol version missing or `2.0` → still parsed and stored.
    @Test func h10ProtocolVersion() throws {
        try Client.withService { harness in
            for version in [nil, "2.0", ""] as [String?] {
                var request = Self.helloRequest(Client.newRequestID())
                request.setHeader("X-Amz-Firehose-Protocol-Version", version)
                try harness.deliver(request, status: 200)
            }
            #expect(try harness.objectKeys().count == 3)
        }
    }

    /// H11: source ARN missing or malformed → 200; the object goes to the `unknown` region and account.
    @Test func h11SourceARN() throws {
        try Client.withService { harness in
            for arn in [nil, "not-an-arn", "arn:aws:firehose:::", "arn:aws:firehose:../..:x/y:deliverystream/s"] {
                let id = Client.newRequestID()
                var request = Self.helloRequest(id)
                request.setHeader("X-Amz-Firehose-Source-Arn", arn)
                try harness.deliver(request, status: 200)
                let keys = try harness.objectKeys().filter { $0.contains(id) }
                #expect(keys.count == 1)
                #expect(keys.first?.contains("/region=unknown/accountId=unknown/") == true, "\(keys)")
            }
        }
    }

    /// H12: every common-attributes shape is accepted and never breaks the request (parsed or ignored).
    @Test func h12CommonAttributes() throws {
        var pairs: [String] = []
        for index in 0..<50 {
            let name = String(format: "%03d", index) + String(repeating: "k", count: 253)
            pairs.append("\"\(name)\":\"\(String(repeating: "v", count: 1_024))\"")
        }
        let maximal = #"{"commonAttributes":{"# + pairs.joined(separator: ",") + "}}"
        #expect(maximal.utf8.count > 64_000)
        let variants: [String?] = [
            nil,
            #"{"commonAttributes":{}}"#,
            maximal,
            #"{"commonAttributes":{"deployment -context":"pre-prod-gamma"}}"#,
            #"{"commonAttributes":{"empty":""}}"#,
            #"{"commonAttributes":{"city":"Zürich – 東京"}}"#,
            #"{"commonAttributes":{"broken""#,
            #"{"commonAttributes":{"count":3,"flag":true,"nested":{"a":"b"}}}"#,
            #"["not","an","object"]"#,
            "",
        ]
        try Client.withService { harness in
            for (index, variant) in variants.enumerated() {
                var request = Self.helloRequest(Client.newRequestID())
                request.setHeader("X-Amz-Firehose-Common-Attributes", variant)
                try harness.deliver(request, status: 200)
                #expect(try harness.objectKeys().count == index + 1, "variant \(index)")
            }
        }
    }

    /// H13: `Content-Type` with a charset, missing, or odd → accepted.
    @Test func h13ContentType() throws {
        try Client.withService { harness in
            for type in ["application/json; charset=utf-8", nil, "Application/JSON", "text/plain"] {
                var request = Self.helloRequest(Client.newRequestID())
                request.setHeader("Content-Type", type)
                try harness.deliver(request, status: 200)
            }
            #expect(try harness.objectKeys().count == 4)
        }
    }

    /// H14: GET, HEAD and PUT on the ingest path → 405 with `Allow: POST` (Firehose JSON body); health checks
    /// answer 200 without Firehose headers; an unknown path → 404.
    @Test func h14MethodsAndHealthChecks() throws {
        try Client.withService({ $0.ingestPath = "/firehose" }) { harness in
            for method in ["GET", "HEAD", "PUT"] {
                var request = Self.helloRequest(Client.newRequestID())
                request.method = method
                request.target = "/firehose"
                if method != "PUT" {
                    request.body = []
                    request.framing = .none
                }
                let response = try harness.send(request)
                #expect(response.status == 405, "\(method)")
                #expect(response.headers["Allow"] == "POST", "\(method)")
                Client.expectTransportRules(response)
                if method != "HEAD" {
                    let id = request.header("X-Amz-Firehose-Request-Id") ?? ""
                    Client.expectFirehoseResponse(response, status: 405, requestID: id)
                }
            }
            for path in ["/healthz", "/readyz"] {
                let response = try harness.send(Client.Request(method: "GET", target: path, framing: .none))
                #expect(response.status == 200, "\(path): \(response.text)")
                Client.expectTransportRules(response)
            }
            let head = try harness.send(Client.Request(method: "HEAD", target: "/healthz", framing: .none))
            #expect(head.status == 200)
            let unknown = try harness.send(Client.Request(method: "GET", target: "/nope", framing: .none))
            #expect(unknown.status == 404)
            Client.expectTransportRules(unknown)
            let misrouted = try harness.send(Self.helloRequest(Client.newRequestID()))
            #expect(misrouted.status == 404)
            #expect(try harness.objectFiles().isEmpty)
        }
    }

    /// H15: an absolute-form target `POST https://host/firehose?x=1` is routed like `/firehose?x=1`.
    @Test func h15AbsoluteFormTarget() throws {
        try Client.withService({ $0.ingestPath = "/firehose" }) { harness in
            let targets = [
                "https://ingest.example.com/firehose?x=1", "http://127.0.0.1/firehose",
                "https://ingest.example.com:443/firehose",
            ]
            for target in targets {
                var request = Self.helloRequest(Client.newRequestID())
                request.target = target
                try harness.deliver(request, status: 200)
            }
            #expect(try harness.objectKeys().count == 3)
        }
    }

    /// H16: a query string configured on the stream (`?tenant=acme`) does not prevent routing.
    @Test func h16QueryString() throws {
        try Client.withService({ $0.ingestPath = "/firehose" }) { harness in
            for target in ["/firehose?tenant=acme", "/firehose?tenant=acme&x=%20y", "/firehose?"] {
                var request = Self.helloRequest(Client.newRequestID())
                request.target = target
                try harness.deliver(request, status: 200)
            }
            #expect(try harness.objectKeys().count == 3)
        }
    }

    /// H17: `Transfer-Encoding: chunked` without `Content-Length` is handled, also after `Expect: 100-continue`.
    @Test func h17ChunkedRequestBody() throws {
        try Client.withService { harness in
            let id = Client.newRequestID()
            var request = Client.firehose(
                requestID: id,
                body: Client.body(requestID: id, data: [Self.hello, Self.helloWorld])
            )
            request.framing = .chunked(pieceSize: 7)
            try harness.deliver(request, status: 200)
            #expect(try Self.rawValues(harness) == ["hello", "hello world"])
            for framing in [Client.Request.Framing.chunked(pieceSize: 1_000), .contentLength] {
                let next = Client.newRequestID()
                var expecting = Self.helloRequest(next)
                expecting.framing = framing
                expecting.headers.append(("Expect", "100-continue"))
                try harness.deliver(expecting, status: 200)
            }
            #expect(try harness.objectKeys().count == 3)
        }
    }

    /// H18: sequential requests on one keep-alive connection (a refused one in between, then two pipelined in one
    /// write), then 8 concurrent connections → each response echoes its own id and each id has its own object.
    @Test func h18KeepAliveAndConcurrentConnections() throws {
        try Client.withService { harness in
            let connection = try Client.Connection(port: harness.client.port)
            var ids: [String] = []
            for _ in 0..<2 {
                let id = Client.newRequestID()
                ids.append(id)
                #expect(connection.send(Self.helloRequest(id).bytes))
                let response = try connection.readResponse()
                Client.expectFirehoseResponse(response, status: 200, requestID: id)
            }
            let refused = Client.newRequestID()
            #expect(connection.send(Client.firehose(requestID: refused, body: Array("{".utf8)).bytes))
            Client.expectFirehoseResponse(try connection.readResponse(), status: 400, requestID: refused)
            let pipelined = [Client.newRequestID(), Client.newRequestID()]
            #expect(connection.send(pipelined.flatMap { Self.helloRequest($0).bytes }))
            for id in pipelined {
                Client.expectFirehoseResponse(try connection.readResponse(), status: 200, requestID: id)
            }
            ids += pipelined
            let concurrent = (0..<8).map { _ in Client.newRequestID() }
            let responses = try harness.client.exchangeConcurrently(concurrent.map(Self.helloRequest))
            for (id, response) in zip(concurrent, responses) {
                Client.expectFirehoseResponse(response, status: 200, requestID: id)
            }
            ids += concurrent
            let keys = try harness.objectKeys()
            #expect(keys.count == 12)
            for id in ids { #expect(keys.filter { $0.hasSuffix("/\(id)-0.json.gz") }.count == 1) }
        }
    }
}
