import Codecs
import Foundation
import Sender
import Testing

@Suite struct FirehoseRequestBuilderTests {
    func records(_ sizes: [Int], file: String = "f.json") -> [EventRecord] {
        sizes.enumerated().map { index, size in
            EventRecord(bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0 &+ index) }, file: file, index: index)
        }
    }

    func decodeBody(_ json: [UInt8]) throws -> (id: String, timestamp: Int64, records: [[UInt8]]) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        #expect(Set(object.keys) == ["requestId", "timestamp", "records"])
        let items = try #require(object["records"] as? [[String: Any]])
        let decoded = try items.map { item -> [UInt8] in
            #expect(item.count == 1)
            let text = try #require(item["data"] as? String)
            return [UInt8](try #require(Data(base64Encoded: text)))
        }
        return (
            try #require(object["requestId"] as? String),
            try #require((object["timestamp"] as? NSNumber)?.int64Value),
            decoded
        )
    }

    @Test func buildsHeadersAndBody() throws {
        let builder = try FirehoseRequestBuilder(configuration: .init(
            sourceARN: "arn:aws:firehose:eu-west-1:111122223333:deliverystream/s",
            accessKey: "secret-key",
            commonAttributes: #"{"commonAttributes":{"env":"prod"}}"#
        ))
        let input = records([0, 1, 2, 3, 100]) + [EventRecord(bytes: Array("{\"a\":\"é\"}".utf8), file: "g", index: 0)]
        let request = builder.makeRequest(input[...], requestID: "id-1", timestampMillis: 1_733_300_000_123)
        #expect(request.header("content-type") == "application/json")
        #expect(request.header("X-Amz-Firehose-Protocol-Version") == "1.0")
        #expect(request.header("X-Amz-Firehose-Request-Id") == "id-1")
        let arn = request.header("X-Amz-Firehose-Source-Arn")
        #expect(arn == "arn:aws:firehose:eu-west-1:111122223333:deliverystream/s")
        #expect(request.header("X-Amz-Firehose-Access-Key") == "secret-key")
        #expect(request.header("X-Amz-Firehose-Common-Attributes") == #"{"commonAttributes":{"env":"prod"}}"#)
        #expect(request.header("User-Agent") == "lakemark-send/\(SendCommand.version)")
        #expect(request.header("Content-Encoding") == nil)
        let body = try decodeBody(request.body)
        #expect(body.id == "id-1")
        #expect(body.timestamp == 1_733_300_000_123)
        #expect(body.records == input.map(\.bytes))
        #expect(request.recordCount == 6)
        #expect(request.recordBytes == input.reduce(0) { $0 + $1.bytes.count })
        #expect(request.uncompressedBodyCount == request.body.count)
    }

    @Test func optionalHeadersAreOmittedAndGzipCompresses() throws {
        let builder = try FirehoseRequestBuilder(configuration: .init(gzip: true))
        let input = records([500, 600])
        let request = builder.makeRequest(input[...], timestampMillis: 5)
        #expect(request.header("X-Amz-Firehose-Access-Key") == nil)
        #expect(request.header("X-Amz-Firehose-Common-Attributes") == nil)
        #expect(request.header("Content-Encoding") == "gzip")
        #expect(request.header("X-Amz-Firehose-Source-Arn") == FirehoseRequestBuilder.Configuration.defaultSourceARN)
        let json = try Gzip.inflate(request.body, limit: 1 << 20)
        #expect(json.count == request.uncompressedBodyCount)
        let body = try decodeBody(json)
        #expect(body.id == request.requestID)
        #expect(body.records == input.map(\.bytes))
    }

    @Test func requestIDsAreRandomVersion4UUIDs() {
        var seen = Set<String>()
        for _ in 0..<1_000 {
            let id = RequestID.make()
            let bytes = Array(id.utf8)
            #expect(bytes.count == 36)
            #expect([8, 13, 18, 23].allSatisfy { bytes[$0] == UInt8(ascii: "-") })
            #expect(bytes[14] == UInt8(ascii: "4"))
            #expect("89ab".utf8.contains(bytes[19]))
            #expect(id == id.lowercased())
            seen.insert(id)
        }
        #expect(seen.count == 1_000)
    }

    @Test func plansAtMostTenThousandRecordsPerRequest() throws {
        let builder = try FirehoseRequestBuilder(configuration: .init())
        let batches = try builder.plan(records(Array(repeating: 10, count: 20_001)))
        #expect(batches == [0..<10_000, 10_000..<20_000, 20_000..<20_001])
    }

    @Test func plannedBodiesStayWithinTheBatchSize() throws {
        let maxBytes = 64 * 1_024
        let builder = try FirehoseRequestBuilder(configuration: .init(maxBatchBytes: maxBytes))
        let sizes = (0..<400).map { ($0 * 7_919) % 9_000 }
        let input = records(sizes)
        let batches = try builder.plan(input)
        #expect(batches.count > 5)
        #expect(batches.first?.lowerBound == 0 && batches.last?.upperBound == input.count)
        for (previous, next) in zip(batches, batches.dropFirst()) {
            #expect(previous.upperBound == next.lowerBound)
        }
        for batch in batches {
            let request = builder.makeRequest(input[batch], timestampMillis: Int64.max)
            #expect(request.uncompressedBodyCount <= maxBytes)
            // The batch is as full as allowed: one more record would not fit.
            if batch.upperBound < input.count {
                let bigger = builder.makeRequest(input[batch.lowerBound...batch.upperBound], timestampMillis: 0)
                #expect(bigger.uncompressedBodyCount > maxBytes - 20)
            }
        }
    }

    @Test func oversizedRecordIsAnErrorNamingFileAndIndex() throws {
        let builder = try FirehoseRequestBuilder(configuration: .init())
        let fits = try builder.plan(records([1_024_000, 1_024_000]))
        #expect(fits.count == 1)
        let error = try #require(throws: SenderError.self) {
            try builder.plan(records([10, 20, 1_024_001], file: "big.ndjson"))
        }
        #expect(error.code == .recordTooLarge)
        #expect(error.message.contains("big.ndjson") && error.message.contains("record 2"))
    }

    @Test func aRecordLargerThanTheBatchSizeTravelsAlone() throws {
        let builder = try FirehoseRequestBuilder(configuration: .init(maxBatchBytes: 1_048_576))
        let batches = try builder.plan(records([10, 1_000_000, 10]))
        #expect(batches == [0..<1, 1..<2, 2..<3])
    }

    @Test func rejectsControlCharactersInHeaderValues() {
        #expect(throws: SenderError.self) { try FirehoseRequestBuilder(configuration: .init(accessKey: "a\r\nX: y")) }
        #expect(throws: SenderError.self) { try FirehoseRequestBuilder(configuration: .init(sourceARN: "arn\n")) }
        #expect(throws: SenderError.self) {
            try FirehoseRequestBuilder(configuration: .init(accessKey: String(repeating: "k", count: 4_097)))
        }
    }

    static let validAttributes: [(String, String)] = [
        (#"{"commonAttributes":{}}"#, #"{"commonAttributes":{}}"#),
        ("{ \"commonAttributes\" : { \"deployment -context\" : \"pre prod\", \"b\": \"\" } }",
         #"{"commonAttributes":{"deployment -context":"pre prod","b":""}}"#),
    ]

    @Test(arguments: validAttributes)
    func acceptsValidCommonAttributes(_ row: (String, String)) throws {
        #expect(try CommonAttributes.validate(row.0) == row.1)
    }

    static let invalidAttributes: [String] = [
        "", "[]", #"{"env":"prod"}"#, #"{"commonAttributes":[]}"#, #"{"commonAttributes":{"a":1}}"#,
        #"{"commonAttributes":{"":"x"}}"#, #"{"commonAttributes":{"  ":"x"}}"#, #"{"commonAttributes":{},"x":1}"#,
        "{\"commonAttributes\":{\"\(String(repeating: "k", count: 257))\":\"v\"}}",
        "{\"commonAttributes\":{\"k\":\"\(String(repeating: "v", count: 1_025))\"}}",
        "{\"commonAttributes\":{" + (0..<51).map { "\"k\($0)\":\"v\"" }.joined(separator: ",") + "}}",
    ]

    @Test(arguments: invalidAttributes)
    func rejectsInvalidCommonAttributes(_ json: String) {
        #expect(throws: SenderError.self) { try CommonAttributes.validate(json) }
    }
}
