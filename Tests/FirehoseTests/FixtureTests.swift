import Codecs
import Firehose
import Foundation
import Testing

/// The real fixtures under `shared/data/events/firehose-fixtures`: Lambda data-transformation events whose
/// `records[].data` are re-packed here into HTTP endpoint request bodies.
@Suite struct FixtureTests {
    typealias T = TestSupport

    struct Fixture {
        /// The `data` strings of each record, in order.
        var dataStrings: [String]
        /// The `data_decoded` payload of each record from the decoded twin.
        var decoded: [Any]
    }

    private func loadFixture(_ name: String) throws -> Fixture? {
        guard let shared = T.sharedDirectory() else { return nil }
        let directory = shared.appendingPathComponent("data/events/firehose-fixtures")
        func records(_ file: String) throws -> [[String: Any]] {
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            return try #require(root["records"] as? [[String: Any]])
        }
        let encoded = try records("\(name).firehose-event.json")
        let decoded = try records("\(name).firehose-event.decoded.json")
        return Fixture(
            dataStrings: encoded.compactMap { $0["data"] as? String },
            decoded: decoded.compactMap { $0["data_decoded"] }
        )
    }

    /// Decodes a fixture through the whole request path, plain and gzip-compressed, and unpacks every record.
    private func unpack(_ fixture: Fixture) throws -> (controls: Int, eventsPerRecord: [[InputEvent]]) {
        let body = T.body(dataStrings: fixture.dataStrings)
        let decoder = FirehoseBatchDecoder()
        let batch = try decoder.decode(body: body, head: T.head())
        let gzipped = try decoder.decode(body: Gzip.deflate(body), head: T.head(contentEncoding: "gzip"))
        #expect(gzipped.records == batch.records)
        #expect(batch.records.count == fixture.dataStrings.count)
        let unpacker = RecordUnpacker()
        var controls = 0
        var perRecord: [[InputEvent]] = []
        for record in batch.records {
            switch unpacker.unpack(record) {
            case .control:
                controls += 1
                perRecord.append([])
            case .events(let events): perRecord.append(events)
            case .empty: Issue.record("unexpected empty record")
            }
        }
        return (controls, perRecord)
    }

    @Test func cloudWatchLogsFixtureGivesOneControlAnd310Events() throws {
        guard let fixture = try loadFixture("cwlogs-subscription-cloudtrail") else {
            print("skipped: shared reference data not found (set LAKEMARK_SHARED)")
            return
        }
        let (controls, perRecord) = try unpack(fixture)
        #expect(controls == 1)
        #expect(perRecord.joined().count == 310)
        #expect(perRecord.count == 36)
        for (events, decoded) in zip(perRecord, fixture.decoded) {
            let document = try #require(decoded as? [String: Any])
            guard document["messageType"] as? String == "DATA_MESSAGE" else { continue }
            let logEvents = try #require(document["logEvents"] as? [[String: Any]])
            #expect(events.count == logEvents.count)
            for (event, logEvent) in zip(events, logEvents) {
                let message = try #require(logEvent["message"] as? String)
                #expect(event.bytes == T.bytes(message))
                #expect(!event.isWrapped)
                #expect(event.cloudWatch?.id == logEvent["id"] as? String)
                #expect(event.cloudWatch?.timestampMillis == (logEvent["timestamp"] as? NSNumber)?.int64Value)
                #expect(event.cloudWatch?.owner == document["owner"] as? String)
                #expect(event.cloudWatch?.logGroup == document["logGroup"] as? String)
            }
        }
    }

    @Test func eventBridgeFixtureGives117Events() throws {
        guard let fixture = try loadFixture("eventbridge-guardduty-securityhub") else {
            print("skipped: shared reference data not found (set LAKEMARK_SHARED)")
            return
        }
        try expectOneObjectPerRecord(fixture, count: 117)
    }

    @Test func ocsfFixtureGives21Events() throws {
        guard let fixture = try loadFixture("direct-put-ocsf-prowler") else {
            print("skipped: shared reference data not found (set LAKEMARK_SHARED)")
            return
        }
        try expectOneObjectPerRecord(fixture, count: 21)
    }

    /// Each record is one JSON object plus `\n`: kept byte for byte and equal to the decoded twin.
    private func expectOneObjectPerRecord(_ fixture: Fixture, count: Int) throws {
        let (controls, perRecord) = try unpack(fixture)
        #expect(controls == 0)
        #expect(perRecord.joined().count == count)
        for ((events, dataString), decoded) in zip(zip(perRecord, fixture.dataStrings), fixture.decoded) {
            let event = try #require(events.first)
            #expect(events.count == 1)
            #expect(!event.isWrapped)
            #expect(event.bytes == (try Base64.decode(T.bytes(dataString))))
            #expect(event.bytes.last == 0x0A)
            let parsed = try #require(T.foundationJSON(event.bytes))
            #expect(parsed.isEqual(decoded))
        }
    }

    @Test func lambdaGoCloudWatchSampleUnpacks() throws {
        guard let shared = T.sharedDirectory() else {
            print("skipped: shared reference data not found (set LAKEMARK_SHARED)")
            return
        }
        let url = shared.appendingPathComponent("data/events/aws-lambda-go-testdata/cloudwatch-logs-event.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let data = try #require((root["awslogs"] as? [String: Any])?["data"] as? String)
        let batch = try FirehoseBatchDecoder().decode(body: T.body(dataStrings: [data]), head: T.head())
        let events = T.events(RecordUnpacker().unpack(batch.records[0]))
        #expect(events.count == 2)
        #expect(events.allSatisfy { $0.isWrapped && $0.cloudWatch?.logGroup == "testLogGroup" })
        #expect(events.allSatisfy { T.isJSONObject($0.bytes) })
    }
}
