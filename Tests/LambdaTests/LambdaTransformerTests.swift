import Foundation
import Testing

@testable import Pipeline

/// The transformer in process: the response limit at its exact boundary, and `data` strings with JSON escapes.
@Suite struct LambdaTransformerTests {
    private static func transformer(limit: Int, partitionKeys: Bool = false) throws -> LambdaTransformer {
        var configuration = Configuration()
        configuration.lambdaPartitionKeys = partitionKeys
        return LambdaTransformer(
            configuration: configuration,
            mapper: try EngineFactory.makeMapper(configuration),
            mappingOptions: try EngineFactory.makeOptions(configuration),
            responseLimit: limit
        )
    }

    private static let event = LambdaHarness.event(
        (0..<3).map { ("r\($0)", Array(#"{"message":"Root account login detected without MFA"}"#.utf8)) }
    )

    private static func enrichedCount(_ body: [UInt8], _ event: [UInt8]) throws -> Int {
        let inputs = try LambdaHarness.records(ofEvent: event)
        let outputs = try LambdaHarness.records(ofResponse: body)
        #expect(outputs.map(\.id) == inputs.map(\.id) && outputs.allSatisfy { $0.result == "Ok" })
        return zip(inputs, outputs).filter { $0.data != $1.data }.count
    }

    @Test func okRecordsCarryPartitionKeysFromTheirFirstEventOrTheStream() throws {
        let cloudTrail = #"{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"CreateUser","#
            + #""awsRegion":"eu-west-1","recipientAccountId":"111122223333","eventTime":"2024-05-06T07:08:09Z"}"#
        let event = LambdaHarness.event([
            ("trail", Array(cloudTrail.utf8)),
            ("plain", Array((#"{"message":"Root login without MFA"}"# + "\n" + cloudTrail).utf8)),
            ("empty", []),
        ])
        let result = try Self.transformer(limit: 1 << 30, partitionKeys: true).transform(event, timeLeft: nil)
        let object = try JSONSerialization.jsonObject(with: Data(result.body)) as? [String: Any]
        let records = try #require(object?["records"] as? [[String: Any]])
        let keys = records.map { ($0["metadata"] as? [String: Any])?["partitionKeys"] as? [String: String] }
        let trail = ["source": "cloudtrail", "region": "eu-west-1", "accountId": "111122223333", "eventDay": "20240506"]
        #expect(keys[0] == trail)
        // The first event has no region, account or time: the stream's region and account, the arrival day.
        let stream = ["source": "json", "region": "us-east-1", "accountId": "123456789012", "eventDay": "20250214"]
        #expect(keys[1] == stream)
        #expect(records[2]["result"] as? String == "Dropped" && records[2]["metadata"] == nil)
        let plain = try Self.transformer(limit: 1 << 30).transform(event, timeLeft: nil)
        #expect(!String(decoding: plain.body, as: UTF8.self).contains("partitionKeys"), "off by default")
    }

    @Test(arguments: [false, true])
    func theResponseLimitIsHonouredToTheByte(partitionKeys: Bool) throws {
        let full = try Self.transformer(limit: 1 << 30, partitionKeys: partitionKeys)
            .transform(Self.event, timeLeft: nil)
        let bare = try Self.transformer(limit: 0, partitionKeys: partitionKeys).transform(Self.event, timeLeft: nil)
        #expect(try Self.enrichedCount(full.body, Self.event) == 3)
        #expect(try Self.enrichedCount(bare.body, Self.event) == 0 && bare.report.unenrichedForSize == 3)
        let growth = (full.body.count - bare.body.count) / 3
        #expect(growth > 0 && (full.body.count - bare.body.count) % 3 == 0)
        for (limit, expected) in [
            (bare.body.count + growth - 1, 0), (bare.body.count + growth, 1), (bare.body.count + 3 * growth - 1, 2),
            (full.body.count, 3),
        ] {
            let result = try Self.transformer(limit: limit, partitionKeys: partitionKeys)
                .transform(Self.event, timeLeft: nil)
            #expect(result.body.count <= limit, "limit \(limit)")
            #expect(try Self.enrichedCount(result.body, Self.event) == expected, "limit \(limit)")
            #expect(result.report.unenrichedForSize == 3 - expected)
        }
    }

    @Test func escapedDataStringsAreDecodedAndEchoedVerbatimWhenFailed() throws {
        // "\u0065yJ…" is "eyJ…" = base64 of {"message":"x"}; "\u0021" is "!", not base64.
        let event = Array(
            #"{"records":[{"recordId":"a","data":"\u0065yJtZXNzYWdlIjoieCJ9"},{"recordId":"b","data":"\u0021"}]}"#.utf8
        )
        let result = try Self.transformer(limit: LambdaTransformer.lambdaResponseLimit).transform(event, timeLeft: nil)
        let text = String(decoding: result.body, as: UTF8.self)
        #expect(text.contains(#"{"recordId":"b","result":"ProcessingFailed","data":"\u0021"}"#))
        let outputs = try LambdaHarness.records(ofResponse: result.body)
        #expect(outputs.first?.result == "Ok")
        let line = String(decoding: try LambdaHarness.payload(outputs.first?.data ?? ""), as: UTF8.self)
        #expect(line.hasPrefix(#"{"message":"x","secberus_compliance":["#))
    }
}
