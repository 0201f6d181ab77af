import Foundation
import Pipeline
import Testing

/// The response contract (P1–P4 of firehose-protocol.md §5) where it is hardest to keep: error messages built
/// from request input, odd request ids, and requests the HTTP layer refuses (bad framing, an oversized head, slow
/// clients). The other `Protocol*Tests` suites apply the same checks to every fixture's response.
@Suite struct ProtocolResponseTests {
    /// The loopback client and its helpers.
    typealias Client = ProtocolClient

    /// P3: an errorMessage quoting request input (a hostile body id, a huge `Content-Encoding`) is valid JSON,
    /// decodes back to the input's characters and stays within 8192 characters.
    @Test func pErrorMessageEscapingAndLength() throws {
        try Client.withService { harness in
            let hostile = "x\"y\\z\n\t\u{01}</script>ü😀" + String(repeating: "é", count: 10_000)
            let id = Client.newRequestID()
            let body = Client.body(requestID: hostile, data: ["aGVsbG8="])
            let (_, reply) = try harness.deliver(Client.firehose(requestID: id, body: body), status: 400)
            #expect(reply?.errorMessage?.contains("x\"y\\z\n\t\u{01}</script>ü😀") == true,
                    "\(reply?.errorMessage?.prefix(300) ?? "")")
            var encoded = Client.firehose(requestID: id, body: Client.body(requestID: id, data: ["aGVsbG8="]))
            encoded.setHeader("Content-Encoding", "br;q=\"" + String(repeating: "ab\\\"", count: 3_000) + "\"")
            try harness.deliver(encoded, status: 415)
            #expect(try harness.objectFiles().isEmpty)
        }
    }

    /// P3: the header id is echoed verbatim, whatever its characters or length.
    @Test func pRequestIDEchoedVerbatim() throws {
        try Client.withService { harness in
            let ids = ["quote\"back\\slash", "ünïcödé-id", "../../etc/passwd",
                       String(repeating: "0123456789", count: 400), "49d2d3a0-1111-2222-3333-444455556666"]
            for id in ids {
                let request = Client.firehose(requestID: id, body: Client.body(requestID: id, data: ["aGVsbG8="]))
                try harness.deliver(request, status: 200)
            }
            #expect(try harness.objectKeys().count == 5)
            #expect(try harness.objectKeys().allSatisfy { !$0.contains("/../") })
        }
    }

    /// P1–P4 on requests the HTTP layer refuses: conflicting or invalid framing → 400, a head over the limit →
    /// 431 (or 400); each still gets a Firehose JSON body, never 413.
    @Test func pRefusedByTheHTTPLayer() throws {
        try Client.withService { harness in
            let id = Client.newRequestID()
            let body = Client.body(requestID: id, data: ["aGVsbG8="])
            var both = Client.firehose(requestID: id, body: body)
            both.framing = .chunked(pieceSize: 64)
            both.headers.append(("Content-Length", "\(body.count)"))
            var badLength = Client.firehose(requestID: id, body: body)
            badLength.framing = .none
            badLength.headers.append(("Content-Length", "12abc"))
            var badChunk = Client.firehose(requestID: id, body: [])
            badChunk.framing = .none
            badChunk.headers.append(("Transfer-Encoding", "chunked"))
            badChunk.body = Array("zz\r\nhello\r\n0\r\n\r\n".utf8)
            for request in [both, badLength, badChunk] {
                let response = try harness.send(request)
                Client.expectFirehoseResponse(response, status: 400, requestID: id)
            }
            var huge = Client.firehose(requestID: id, body: body)
            huge.headers.append(("X-Padding", String(repeating: "p", count: 90_000)))
            let response = try harness.send(huge)
            #expect([400, 431].contains(response.status))
            Client.expectFirehoseResponse(response, status: response.status, requestID: "")
            #expect(try harness.objectFiles().isEmpty)
        }
    }

    /// P1–P4 for slow clients: a head that never completes and a body that stops short get a 408 Firehose JSON
    /// response (the body case echoing the header id) and the connection is closed; nothing is stored.
    @Test func pSlowClients() throws {
        let adjust: (inout Pipeline.Configuration) -> Void = {
            $0.headerTimeoutSeconds = 1
            $0.bodyTimeoutSeconds = 0.3
        }
        try Client.withService(adjust) { harness in
            let head = try Client.Connection(port: harness.client.port)
            head.send(Array("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Firehose-Re".utf8))
            let headResponse = try head.readResponse()
            Client.expectFirehoseResponse(headResponse, status: 408, requestID: "")
            #expect(head.waitsForClose())

            let id = Client.newRequestID()
            let request = Client.firehose(requestID: id, body: Client.body(requestID: id, data: ["aGVsbG8="]))
            let body = try Client.Connection(port: harness.client.port)
            body.send(Array(request.bytes.dropLast(10)))
            let bodyResponse = try body.readResponse()
            Client.expectFirehoseResponse(bodyResponse, status: 408, requestID: id)
            #expect(body.waitsForClose())
            #expect(try harness.objectFiles().isEmpty)
        }
    }

    /// P1–P4 under overload: beyond `maxConnections` a new connection gets 503 with a Firehose JSON body.
    @Test func pOverload() throws {
        try Client.withService({ $0.maxConnections = 1 }) { harness in
            let idle = try Client.Connection(port: harness.client.port)
            let id = Client.newRequestID()
            let request = Client.firehose(requestID: id, body: Client.body(requestID: id, data: ["aGVsbG8="]))
            let response = try harness.send(request)
            Client.expectFirehoseResponse(response, status: 503, requestID: "")
            #expect(try harness.objectFiles().isEmpty)
            withExtendedLifetime(idle) {}
        }
    }
}
