import Codecs
import Foundation
import Sender
import Testing

/// Reads the real sample events in `shared/data/events` (skipped when absent).
@Suite struct SharedEventsTests {
    let reader = EventFileReader()

    /// Checks that every record is an exact byte range of the file, in order.
    func expectExactRanges(_ file: EventFile, in bytes: [UInt8]) {
        var searchFrom = bytes.startIndex
        for record in file.records {
            guard let found = find(record.bytes, in: bytes, from: searchFrom) else {
                Issue.record("\(file.path) record \(record.index) is not a byte range of the file")
                return
            }
            searchFrom = found + record.bytes.count
        }
    }

    func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count - start >= needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }

    @Test func firehoseFixturesMatchTheirDecodedTwins() throws {
        let events = try requireSharedEvents()
        let fixtures = events + "/firehose-fixtures"
        let names = try FileManager.default.contentsOfDirectory(atPath: fixtures)
            .filter { $0.hasSuffix(".firehose-event.json") }
            .sorted()
        #expect(names.count == 3)
        var total = 0
        for name in names {
            let encoded = try reader.read(file: fixtures + "/" + name)
            let twinName = name.replacingOccurrences(of: ".json", with: ".decoded.json")
            let twin = try reader.read(file: fixtures + "/" + twinName)
            #expect(encoded.kind == .firehoseTransformation)
            #expect(twin.kind == .decodedFixture)
            #expect(encoded.records.count == twin.records.count)
            for (left, right) in zip(encoded.records, twin.records) {
                #expect(Gzip.isGzip(left.bytes) == Gzip.isGzip(right.bytes))
                let plainLeft = Gzip.isGzip(left.bytes) ? try Gzip.inflate(left.bytes, limit: 1 << 26) : left.bytes
                let plainRight = Gzip.isGzip(right.bytes) ? try Gzip.inflate(right.bytes, limit: 1 << 26) : right.bytes
                #expect(plainLeft == plainRight, "\(name) record \(left.index)")
            }
            total += encoded.records.count
        }
        #expect(total == 174)
    }

    @Test func cloudTrailAndArrayFilesYieldExactByteRanges() throws {
        let events = try requireSharedEvents()
        let collection = try reader.read(paths: [
            events + "/invictus-aws-cloudtrail", events + "/stratus-red-team-cloudtrail", events + "/prowler",
            events + "/panther-test-events", events + "/aws-asr-securityhub-asff",
        ])
        #expect(!collection.files.isEmpty)
        for file in collection.files {
            let bytes = [UInt8](try #require(FileManager.default.contents(atPath: file.path)))
            expectExactRanges(file, in: bytes)
            // Cross-check the count against Foundation's parser.
            if file.kind == .cloudTrail || file.kind == .jsonArray {
                let object = try JSONSerialization.jsonObject(with: Data(bytes))
                let expected = file.kind == .cloudTrail
                    ? ((object as? [String: Any])?["Records"] as? [Any])?.count
                    : (object as? [Any])?.count
                #expect(file.records.count == expected, "\(file.path)")
            }
        }
        let kinds = Set(collection.files.map(\.kind))
        #expect(kinds.isSuperset(of: [.cloudTrail, .jsonArray, .ndjson, .singleObject]))
        let invictus = collection.files.filter { $0.path.contains("invictus") }.reduce(0) { $0 + $1.records.count }
        #expect(invictus == 2_900)
        #expect(collection.notes.contains { $0.hasSuffix("LICENSE: not JSON") })
    }

    @Test func wholeEventsDirectoryWalks() throws {
        let events = try requireSharedEvents()
        let collection = try reader.read(paths: [events])
        #expect(collection.records.count > 4_000)
        #expect(collection.notes.contains { $0.hasSuffix("README.md: not JSON") })
        #expect(!collection.files.contains { $0.path.hasSuffix(".md") })
    }
}
