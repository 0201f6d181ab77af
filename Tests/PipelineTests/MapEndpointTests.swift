import HTTPClient
import HTTPCore
import Testing

/// `POST /v1/map` and `GET /v1/frameworks` on the service.
@Suite struct MapEndpointTests {
    private let body = Array(
        #"{"frameworks":["pci_dss_v4"],"documents":[{"id":"d1","document":"MFA disabled for root"}]}"#.utf8
    )

    private func post(_ port: Int, headers: HTTPHeaders = HTTPHeaders()) throws -> HTTPResponse {
        try HTTPClient().send(
            HTTPClientRequest(
                method: .post,
                host: "127.0.0.1",
                port: port,
                target: "/v1/map",
                headers: headers,
                body: body
            )
        )
    }

    @Test func mapAPIRequiresAnAccessKeyWhenKeysAreConfigured() throws {
        let sink = try TestEnvironment.temporaryDirectory()
        let service = try TestEnvironment.startService(
            TestEnvironment.configuration(sink: sink) { $0.accessKeys = ["map-api-key-1"] }
        )
        defer { service.shutdown() }
        #expect(try post(service.boundPort).status.code == 401)
        #expect(try post(service.boundPort, headers: ["authorization": "wrong-key-0"]).status.code == 401)
        #expect(try post(service.boundPort, headers: ["authorization": "map-api-key-1"]).status.code == 200)
        #expect(try post(service.boundPort, headers: ["authorization": "Bearer map-api-key-1"]).status.code == 200)
        #expect(try post(service.boundPort, headers: ["authorization": "Bearer wrong-key-0"]).status.code == 401)
        #expect(try post(service.boundPort, headers: ["X-Amz-Firehose-Access-Key": "map-api-key-1"]).status.code == 200)
        #expect(
            try post(service.boundPort, headers: ["authorization": "map-api-key-1", "Content-Encoding": "gzip"])
                .status.code == 415
        )
    }

    @Test func mapAPICanBeTurnedOff() throws {
        let sink = try TestEnvironment.temporaryDirectory()
        let service = try TestEnvironment.startService(TestEnvironment.configuration(sink: sink) { $0.mapAPI = false })
        defer { service.shutdown() }
        #expect(try post(service.boundPort).status.code == 404)
    }
}
