import Foundation
import Testing

@testable import Pipeline

/// The transformer in process: the response limit at its exact boundary, and `data` strings with JSON escapes.
@Suite struct LambdaTransformerTests {
    private static func transformer(limit: Int) throws -> LambdaTransformer {
        let configuration = Configuration()
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

    @Test func theResponseLimitIsHonouredToTheByte() throws {
        let full = try Self.transformer(limit: 1 << 30).transform(Self.event, timeLeft: nil)
        let bare = try Self.transformer(limit: 0).transform(Self.event, timeLeft: nil)
        #expect(try Self.enrichedCount(full.body, Self.event) == 3)
        #expect(try Self.enrichedCount(bare.body, Self.event) == 0 && bare.report.unenrichedForSize == 3)
        let growth = (full.body.count - bare.body.count) / 3
        #expect(growth > 0 && (full.body.count - bare.body.count) % 3 == 0)
        for (limit, expected) in [
            (bare.body.count + growth - 1, 0), (bare.body.count + growth, 1), (bare.body.count + 3 * growth - 1, 2),
            (full.body.count, 3),
        ] {
            let result = try Self.transformer(limit: limit).transform(Self.event, timeLeft: nil)
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
