import Firehose
import JSONBytes
import Testing

@Suite struct FirehoseResponseTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func p3RendersSuccessExactly() {
        let body = FirehoseResponse.body(requestID: "abc-123", timestampMillis: 1_733_300_000_123, errorMessage: nil)
        #expect(text(body) == "{\"requestId\":\"abc-123\",\"timestamp\":1733300000123}")
        #expect(FirehoseResponse.contentType == "application/json")
    }

    @Test func p3RendersFailureWithMessage() {
        let body = FirehoseResponse.body(requestID: "abc", timestampMillis: 5, errorMessage: "s3 put failed: SlowDown")
        #expect(text(body) == "{\"requestId\":\"abc\",\"timestamp\":5,\"errorMessage\":\"s3 put failed: SlowDown\"}")
    }

    @Test func p3EscapesWithJSONRules() throws {
        let message = "quote \" backslash \\ newline \n tab \t nul \u{0} esc \u{1B} unit \u{1F} é 😀"
        let body = FirehoseResponse.body(requestID: "id\"x", timestampMillis: 1, errorMessage: message)
        let tape = try JSONTape(parsing: body)
        #expect(tape.kind(0) == .object)
        #expect(tape.value(forKey: "requestId", in: 0).flatMap { tape.string($0) } == "id\"x")
        #expect(tape.value(forKey: "errorMessage", in: 0).flatMap { tape.string($0) } == message)
        let timestamp = try #require(tape.value(forKey: "timestamp", in: 0))
        #expect(tape.kind(timestamp) == .number)
        #expect(tape.int64(timestamp) == 1)
        #expect(!body.contains { $0 < 0x20 })
    }

    @Test func p3TruncatesLongMessagesOnCharacterBoundaries() throws {
        for unit in ["a", "é", "日", "😀"] {
            let message = String(repeating: unit, count: 9000)
            let body = FirehoseResponse.body(requestID: "r", timestampMillis: 1, errorMessage: message)
            let tape = try JSONTape(parsing: body)
            let decoded = try #require(tape.value(forKey: "errorMessage", in: 0).flatMap { tape.string($0) })
            #expect(decoded.utf16.count <= 8192)
            #expect(decoded.utf16.count >= 8191)
            #expect(message.hasPrefix(decoded))
        }
        let exact = String(repeating: "x", count: 8192)
        let body = FirehoseResponse.body(requestID: "r", timestampMillis: 1, errorMessage: exact)
        #expect(text(body).contains(exact))
    }

    @Test func rendersNegativeAndLargeTimestampsAsIntegers() {
        let body = FirehoseResponse.body(requestID: "", timestampMillis: Int64.max, errorMessage: "")
        #expect(text(body) == "{\"requestId\":\"\",\"timestamp\":9223372036854775807,\"errorMessage\":\"\"}")
    }

    @Test func errorsCarryTheirStatusAndTruncatedMessage() {
        let error = FirehoseError(code: .invalidJSON, message: String(repeating: "m", count: 20_000), recordIndex: 3)
        #expect(error.httpStatus == 400)
        #expect(error.message.count == 8192)
        #expect(error.description.hasPrefix("invalidJSON (record 3): mmm"))
        let statuses = [
            FirehoseError.Code.missingRequestID, .requestIDMismatch, .missingBodyRequestID, .invalidBody, .invalidJSON,
            .missingRecords, .invalidRecord, .invalidBase64, .invalidGzipBody, .bodyTooLarge, .tooManyRecords,
            .recordTooLarge,
        ].map(\.httpStatus)
        #expect(statuses.allSatisfy { $0 == 400 })
        #expect(FirehoseError.Code.unsupportedContentEncoding.httpStatus == 415)
        #expect(FirehoseError.Code.unauthorized.httpStatus == 401)
    }
}
