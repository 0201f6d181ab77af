import Codecs
import Firehose
import JSONBytes
import NetworkTestSupport
import Testing

/// Random and mutated inputs: the unpacker and the batch decoder must never trap, and every event must be
/// exactly one JSON object text.
@Suite struct RecordUnpackerPropertyTests {
    typealias T = TestSupport

    static let seeds: [UInt64] = [1, 2, 3, 4]

    /// Building blocks that make random inputs look like JSON, NDJSON, CloudWatch and gzip often enough.
    static let fragments: [[UInt8]] = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "d800", "\n", " ", "\r\n", "null", "true", "1e9", "-0",
        "\"messageType\"", "\"DATA_MESSAGE\"", "\"CONTROL_MESSAGE\"", "\"logEvents\"", "\"message\"", "\"id\"",
        "{\"a\":1}", "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[", "é", "😀",
    ].map { Array($0.utf8) } + [[0x1F, 0x8B], [0xFF], [0x00], [0xC3], [0xED, 0xA0, 0x80]]

    private func randomRecord(_ generator: inout SplitMix64) -> [UInt8] {
        switch Int.random(in: 0..<5, using: &generator) {
        case 0:
            let count = Int.random(in: 0...64, using: &generator)
            return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        case 1, 2:
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...24, using: &generator) {
                bytes += Self.fragments.randomElement(using: &generator)!
            }
            return bytes
        case 3:
            let document = T.cloudWatchDocument(messages: ["{\"a\":1}", "text", "{\"b\":[1,2]}"])
            return mutate(Gzip.deflate(document), &generator)
        default:
            let messages = ["{\"a\":\"\\u0000\"}", "x\ny", "{}"]
            return mutate(T.cloudWatchDocument(messages: messages) + [0x0A] + T.controlDocument, &generator)
        }
    }

    private func mutate(_ bytes: [UInt8], _ generator: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 0...3, using: &generator) where !bytes.isEmpty {
            let index = Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: bytes[index] = UInt8.random(in: 0...255, using: &generator)
            case 1: bytes.removeSubrange(index...)
            default: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: index)
            }
        }
        return bytes
    }

    @Test(arguments: seeds)
    func everyEventIsOneJSONObject(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        let unpacker = RecordUnpacker(limits: .init(maxInflatedBytes: 1 << 20, maxEventsPerRecord: 1000))
        var wrapped = 0
        var plain = 0
        for _ in 0..<2500 {
            let record = randomRecord(&generator)
            for event in T.events(unpacker.unpack(record)) {
                #expect(T.isJSONObject(event.bytes), "seed \(seed) record \(record)")
                if event.isWrapped { wrapped += 1 } else { plain += 1 }
            }
        }
        #expect(wrapped > 0)
        #expect(plain > 0)
    }

    @Test(arguments: seeds)
    func randomBodiesNeverTrap(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        let decoder = FirehoseBatchDecoder()
        let valid = T.body(dataStrings: ["aGVsbG8=", "", "eyJhIjoxfQ=="])
        var accepted = 0
        for round in 0..<3000 {
            var body = mutate(valid, &generator)
            let gzip = round % 3 == 0
            if gzip { body = mutate(Gzip.deflate(body), &generator) }
            let head = T.head(contentEncoding: gzip ? "gzip" : nil)
            do {
                let batch = try decoder.decode(body: body, head: head)
                accepted += 1
                #expect(batch.records.count <= 3)
            } catch {
                #expect([400, 415].contains(error.httpStatus))
                #expect(!error.message.isEmpty)
            }
        }
        #expect(accepted > 0)
    }
}
