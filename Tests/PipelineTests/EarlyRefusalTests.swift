import Foundation
import HTTPCore
import Testing

private typealias Client = ProtocolClient

/// With access keys configured, a request whose answer its head already decides (a missing or wrong key on the
/// ingest path or the map API, an unknown path, a refused method) is answered before any of its body is read:
/// no `100 Continue`, no wait for a large body, then the connection is closed.
@Suite struct EarlyRefusalTests {
    private static let key = "fh-key-early-5c1d2e3f4a5b"

    /// Sends a head declaring a 10 MB body and `Expect: 100-continue`, then 2 KB of it, and reads the first answer.
    private func refusal(
        port: Int,
        target: String,
        fields: [(name: String, value: String)]
    ) throws -> (Client.Response, Duration, Bool) {
        var request = Client.Request(method: "POST", target: target, headers: fields, body: [], framing: .none)
        request.setHeader("Content-Length", "10000000")
        request.setHeader("Expect", "100-continue")
        let connection = try Client.Connection(port: port)
        let started = ContinuousClock.now
        connection.send(request.bytes)
        connection.send([UInt8](repeating: 0x78, count: 2_048))
        let response = try connection.readResponse(skippingContinue: false)
        return (response, ContinuousClock.now - started, connection.waitsForClose())
    }

    @Test func wrongOrMissingKeyIsRefusedBeforeTheBody() throws {
        try Client.withService({ $0.accessKeys = [Self.key] }) { harness in
            let port = harness.service.boundPort
            for presented in [nil, "fh-key-early-5c1d2e3f4a5c"] {
                let id = Client.newRequestID()
                var fields = Client.firehoseHeaders(requestID: id)
                if let presented { fields.append(("X-Amz-Firehose-Access-Key", presented)) }
                let (response, elapsed, closed) = try refusal(port: port, target: "/", fields: fields)
                #expect(response.status == 401, "never 100 Continue")
                #expect(elapsed < .seconds(3), "answered without waiting for the body")
                #expect(closed)
                let reply = Client.expectFirehoseResponse(response, status: 401, requestID: id)
                #expect(reply?.errorMessage?.contains(Self.key) == false)
            }
            // The key twice, the right one first, last or both times: a proxy in front may have judged the other.
            for pair in [[Self.key, "wrong"], ["wrong", Self.key], [Self.key, Self.key]] {
                let id = Client.newRequestID()
                let fields = Client.firehoseHeaders(requestID: id) + pair.map { ("X-Amz-Firehose-Access-Key", $0) }
                let (response, elapsed, closed) = try refusal(port: port, target: "/", fields: fields)
                #expect(response.status == 401 && elapsed < .seconds(3) && closed)
                let reply = Client.expectFirehoseResponse(response, status: 401, requestID: id)
                #expect(reply?.errorMessage?.contains("more than once") == true)
            }
            for fields in [[("authorization", "Bearer wrong-key-0")], [], [("X-Amz-Firehose-Access-Key", "x")]] {
                let (response, elapsed, closed) = try refusal(port: port, target: "/v1/map", fields: fields)
                #expect(response.status == 401 && elapsed < .seconds(3) && closed)
            }
            let (unknown, _, _) = try refusal(port: port, target: "/nowhere", fields: [])
            #expect(unknown.status == 404)
            let (health, _, _) = try refusal(port: port, target: "/healthz", fields: [])
            #expect(health.status == 405)
            #expect(try harness.objectFiles().isEmpty)

            let id = Client.newRequestID()
            var accepted = Client.firehose(requestID: id, records: [Array("root login without MFA".utf8)])
            accepted.setHeader("X-Amz-Firehose-Access-Key", Self.key)
            accepted.setHeader("Expect", "100-continue")
            let connection = try Client.Connection(port: port)
            let body = accepted.body
            accepted.body = []
            accepted.framing = .none
            accepted.setHeader("Content-Length", String(body.count))
            connection.send(accepted.bytes)
            #expect(try connection.readResponse(skippingContinue: false).status == 100)
            connection.send(body)
            Client.expectFirehoseResponse(try connection.readResponse(), status: 200, requestID: id)
        }
    }
}
