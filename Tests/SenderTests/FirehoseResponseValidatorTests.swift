import Sender
import Testing

@Suite struct FirehoseResponseValidatorTests {
    static let id = "1f0e2d3c-4b5a-4697-8887-a9b0c1d2e3f4"
    static let json = [("Content-Type", "application/json")]

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var status: Int
        var headers: [(String, String)]
        var body: String
        /// `nil` when delivered; otherwise a fragment of the failure reason.
        var failure: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "valid", status: 200, headers: json, body: #"{"requestId":"\#(id)","timestamp":1733300000123}"#),
        Case(name: "charset parameter", status: 200, headers: [("content-type", "Application/JSON; charset=utf-8")],
             body: #"{"timestamp":1.5e12, "requestId":"\#(id)"}"#),
        Case(name: "empty errorMessage allowed", status: 200, headers: json,
             body: #"{"requestId":"\#(id)","timestamp":1,"errorMessage":""}"#),
        Case(name: "503 with errorMessage", status: 503, headers: json,
             body: #"{"requestId":"\#(id)","timestamp":1,"errorMessage":"s3 put failed: SlowDown"}"#,
             failure: "HTTP 503: s3 put failed: SlowDown"),
        Case(name: "500 plain body", status: 500, headers: [], body: "boom\nline", failure: "HTTP 500: boom line"),
        Case(name: "202", status: 202, headers: json, body: #"{"requestId":"\#(id)","timestamp":1}"#,
             failure: "HTTP 202"),
        Case(name: "413", status: 413, headers: json, body: "", failure: "HTTP 413"),
        Case(name: "302", status: 302, headers: [("Location", "/")], body: "", failure: "HTTP 302"),
        Case(name: "no content type", status: 200, headers: [], body: #"{"requestId":"\#(id)","timestamp":1}"#,
             failure: "without Content-Type"),
        Case(name: "text/plain", status: 200, headers: [("Content-Type", "text/plain")],
             body: #"{"requestId":"\#(id)","timestamp":1}"#, failure: "not application/json"),
        Case(name: "compressed", status: 200, headers: json + [("Content-Encoding", "gzip")],
             body: #"{"requestId":"\#(id)","timestamp":1}"#, failure: "Content-Encoding gzip"),
        Case(name: "mismatched id", status: 200, headers: json, body: #"{"requestId":"other","timestamp":1}"#,
             failure: "expected"),
        Case(name: "null id", status: 200, headers: json, body: #"{"requestId":null,"timestamp":1}"#,
             failure: "requestId null"),
        Case(name: "missing id", status: 200, headers: json, body: #"{"timestamp":1}"#, failure: "without requestId"),
        Case(name: "string timestamp", status: 200, headers: json,
             body: #"{"requestId":"\#(id)","timestamp":"1578090903599"}"#, failure: "numeric timestamp"),
        Case(name: "missing timestamp", status: 200, headers: json, body: #"{"requestId":"\#(id)"}"#,
             failure: "numeric timestamp"),
        Case(name: "extra member", status: 200, headers: json,
             body: #"{"requestId":"\#(id)","timestamp":1,"status":"ok"}"#, failure: "unexpected member \"status\""),
        Case(name: "not JSON", status: 200, headers: json, body: "OK", failure: "not a JSON object"),
        Case(name: "array", status: 200, headers: json, body: "[]", failure: "not a JSON object"),
        Case(name: "empty body", status: 200, headers: json, body: "", failure: "not a JSON object"),
    ]

    @Test(arguments: cases)
    func judgesLikeFirehose(_ row: Case) {
        let outcome = FirehoseResponseValidator.validate(
            status: row.status,
            headers: row.headers,
            body: Array(row.body.utf8),
            requestID: FirehoseResponseValidatorTests.id
        )
        switch (outcome, row.failure) {
        case (.delivered, nil):
            break
        case (.failed(let status, let reason), .some(let fragment)):
            #expect(status == row.status)
            #expect(reason.contains(fragment), "\(reason)")
        default:
            Issue.record("\(row.name): unexpected outcome \(outcome)")
        }
    }

    @Test func deliveredCarriesTheTimestamp() {
        let outcome = FirehoseResponseValidator.validate(
            status: 200,
            headers: FirehoseResponseValidatorTests.json,
            body: Array(#"{"requestId":"x","timestamp":1733300000123}"#.utf8),
            requestID: "x"
        )
        #expect(outcome == .delivered(timestampMillis: 1_733_300_000_123))
        #expect(outcome.isDelivered)
    }
}

@Suite struct RetryBackoffTests {
    @Test func doublesWithJitterAndCapsAtTwoMinutes() {
        var generator = SystemRandomNumberGenerator()
        for attempt in 1...12 {
            let base = min(120.0, Double(1 << (attempt - 1)))
            for _ in 0..<200 {
                let delay = RetryBackoff.delay(beforeRetry: attempt, using: &generator)
                #expect(delay <= 120)
                #expect(delay >= min(base * 0.85, 120) - 1e-9)
                #expect(delay <= base * 1.15 + 1e-9)
            }
        }
    }
}
