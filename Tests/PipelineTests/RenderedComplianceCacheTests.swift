import Codecs
import Firehose
import Foundation
import Testing

@testable import Pipeline

/// Texts seen in an earlier batch take their compliance arrays from the rendered cache: the objects are the same
/// bytes as with every cache off.
@Suite struct RenderedComplianceCacheTests {
    func processTwice(cacheEntries: Int) throws -> (first: [[UInt8]], second: [[UInt8]], kept: Int?) {
        var configuration = try ConfigurationLoader.load(path: nil, environment: [:])
        configuration.mappingCacheEntries = cacheEntries
        let sink = BatchThreadsTests.CapturingSink()
        let processor = BatchProcessor(
            configuration: configuration,
            mapper: try EngineFactory.makeMapper(configuration),
            mappingOptions: try EngineFactory.makeOptions(configuration),
            sink: sink
        )
        let body = BatchThreadsTests.body()
        var runs: [[[UInt8]]] = []
        // The body names its request id; the header must agree. A retry of the same request, mapped again.
        let head = FirehoseRequestHead(header: { $0.lowercased() == "x-amz-firehose-request-id" ? "threads-1" : nil })
        for _ in 0..<2 {
            #expect(processor.process(head: head, body: body).status == 200)
            let objects = sink.objects.withLock { objects in
                defer { objects = [] }
                return objects.sorted { $0.key < $1.key }
            }
            runs.append(try objects.map { try Gzip.inflate($0.body, limit: 1 << 26) })
        }
        return (runs[0], runs[1], processor.enricher.renderedCache?.count)
    }

    @Test func cachedArraysWriteTheSameBytesAsNoCache() throws {
        let cached = try processTwice(cacheEntries: 100)
        let uncached = try processTwice(cacheEntries: 0)
        #expect(uncached.kept == nil)
        // 40 event names: 40 texts kept, within the capacity.
        #expect(cached.kept == 40)
        #expect(!cached.first.isEmpty)
        #expect(cached.first == uncached.first)
        #expect(cached.second == uncached.second)
        #expect(cached.second == cached.first)
    }

    @Test func aFullCacheStartsAgainEmpty() {
        let cache = RenderedComplianceCache(capacity: 2)
        let keys = ["a", "b", "c"].map { RenderedComplianceCache.Key(text: $0, hint: nil) }
        cache.keep(keys.map { ($0, Array($0.text.utf8)) })
        #expect(cache.count == 1)
        #expect(cache.arrays(for: keys) == [nil, nil, Array("c".utf8)])
    }
}
