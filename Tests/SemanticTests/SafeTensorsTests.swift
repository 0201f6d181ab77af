import Foundation
import Semantic
import Testing

/// Malformed weight files must be refused with `model_invalid`, never crash or read out of bounds.
@Suite struct SafeTensorsTests {
    static func safetensors(header: String, dataBytes: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: header.utf8)
        bytes.append(contentsOf: [UInt8](repeating: 0, count: dataBytes))
        return bytes
    }

    @Test(arguments: [
        ("{not json", 16),
        ("[]", 16),
        (#"{"embeddings.LayerNorm.weight":{"dtype":"F32","shape":[4],"data_offsets":[0,64]}}"#, 16),
        (#"{"embeddings.LayerNorm.weight":{"dtype":"F32","shape":[8],"data_offsets":[0,16]}}"#, 16),
        (#"{"embeddings.LayerNorm.weight":{"dtype":"F32","shape":[4],"data_offsets":[8,4]}}"#, 16),
        (#"{"embeddings.LayerNorm.weight":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, 16),
    ])
    func malformedOrIncompleteWeightsAreModelInvalid(header: String, dataBytes: Int) throws {
        let directory = ModelFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ModelFixture.createFile(
            atPath: directory + "/vocab.txt",
            contents: Data("[PAD]\n[UNK]\n[CLS]\n[SEP]\n".utf8)
        )
        try ModelFixture.createFile(
            atPath: directory + "/model.safetensors",
            contents: Data(Self.safetensors(header: header, dataBytes: dataBytes))
        )
        #expect(ModelFixture.errorCode { try SentenceEncoder(modelDirectory: directory) } == .modelInvalid)
    }

    @Test func headerLongerThanTheFileIsModelInvalid() throws {
        let directory = ModelFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ModelFixture.createFile(atPath: directory + "/vocab.txt", contents: Data("[UNK]\n[CLS]\n[SEP]\n".utf8))
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Array("{}".utf8))
        try ModelFixture.createFile(atPath: directory + "/model.safetensors", contents: Data(bytes))
        #expect(ModelFixture.errorCode { try SentenceEncoder(modelDirectory: directory) } == .modelInvalid)
    }
}
