import HTTPCore
import HTTPServer
@testable import Pipeline
import ServiceSupport
import Testing

@Suite struct ServerEventLogTests {
    private static func head(requestID: String) -> HTTPRequestHead {
        HTTPRequestHead(
            method: .post,
            target: "/",
            path: "/",
            query: nil,
            version: .http1_1,
            headers: HTTPHeaders([HTTPField(name: "X-Amz-Firehose-Request-Id", value: requestID)])
        )
    }

    @Test func aResponseThatCouldNotBeWrittenIsLoggedWithItsRequestID() {
        let capture = CapturingLogHandler()
        let log = ServerEventLog(logger: Logger(label: "test", handler: capture))
        let error = HTTPServerError(.writeFailed, errnoCode: 32)
        log.record(.serverError(connectionID: 7, error: error, head: Self.head(requestID: "req-cut-1")))

        #expect(capture.records.count == 1)
        let record = capture.records.first
        #expect(record?.level == .warning)
        #expect(record?.message.hasPrefix("response not delivered") == true)
        #expect(record?.metadata["request_id"] == .string("req-cut-1"))
        #expect(record?.metadata["error_code"] == .string("http.writeFailed"))
        #expect(record?.metadata["errno"] == .int(32))
    }

    @Test func eventsAnsweredElsewhereOrWithoutARequestAreNotLogged() {
        let capture = CapturingLogHandler()
        let log = ServerEventLog(logger: Logger(label: "test", handler: capture))
        // Answered with a Firehose error body and logged by the router.
        let tooLarge = HTTPServerError(.bodyTooLarge)
        log.record(.serverError(connectionID: 1, error: tooLarge, head: Self.head(requestID: "a")))
        // A write failure before any request head (a probe that hung up) is noise.
        log.record(.serverError(connectionID: 2, error: HTTPServerError(.writeFailed), head: nil))
        log.record(.connectionOpened(connectionID: 3, remoteAddress: "127.0.0.1:1"))

        #expect(capture.records.isEmpty)
    }

    @Test func aBodyCutOffByTheClientIsLogged() {
        let capture = CapturingLogHandler()
        let log = ServerEventLog(logger: Logger(label: "test", handler: capture))
        log.record(.serverError(connectionID: 4, error: HTTPServerError(.readFailed), head: Self.head(requestID: "b")))

        #expect(capture.records.map(\.message) == ["request body cut off by the client; nothing was processed"])
    }
}
