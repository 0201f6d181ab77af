import Dispatch
import Foundation
import Semantic
import Synchronization
import Testing

@Suite struct SentenceEncoderTests {
    @Test(.enabled(if: ModelFixture.available, ModelFixture.missing))
    func embeddingsMatchTheNumPyReference() throws {
        let cases = ModelFixture.cases.filter { $0.vector != nil }
        #expect(cases.count >= 50)
        var encoders: [Int: SentenceEncoder] = [:]
        var worst = (id: "", cosine: 1.0)
        for item in cases {
            if encoders[item.maxTokens] == nil {
                encoders[item.maxTokens] = try SentenceEncoder(
                    modelDirectory: ModelFixture.directory,
                    maxTokens: item.maxTokens
                )
            }
            let vector = encoders[item.maxTokens]!.embed(item.text)
            let cosine = ModelFixture.cosine(vector, item.vector!)
            if cosine < worst.cosine { worst = (item.id, cosine) }
            #expect(cosine >= 0.9999, "case \(item.id) (\(item.text.prefix(40).debugDescription)): cosine \(cosine)")
        }
        #expect(worst.cosine >= 0.9999, "worst case \(worst.id): \(worst.cosine)")
    }

    @Test(.enabled(if: ModelFixture.available, ModelFixture.missing))
    func batchesEqualSingleTextsAndHaveUnitLength() throws {
        let encoder = try #require(ModelFixture.encoder)
        #expect(encoder.dimension == 384)
        // Enough long texts to need several batches of SentenceEncoder.batchTokenBudget tokens.
        let texts = ModelFixture.cases.prefix(100).map(\.text)
            + Array(repeating: String(repeating: "privileged access review ", count: 40), count: 30)
        let batched = encoder.embed(texts)
        #expect(batched.count == texts.count)
        for (index, text) in texts.enumerated() where index % 7 == 0 || index >= 100 {
            let single = encoder.embed(text)
            #expect(ModelFixture.cosine(single, batched[index]) >= 0.99999, "text \(index)")
        }
        for vector in batched {
            let norm = vector.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-4)
        }
        #expect(encoder.embed([String]()).isEmpty)
    }

    @Test(.enabled(if: ModelFixture.available, ModelFixture.missing))
    func oneEncoderServesSeveralThreadsAtOnce() throws {
        let encoder = try #require(ModelFixture.encoder)
        let texts = ModelFixture.cases.prefix(24).map(\.text)
        let expected = texts.map { encoder.embed($0) }
        let results = Mutex<[Int: [[Float]]]>([:])
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            let vectors = worker % 2 == 0 ? texts.map { encoder.embed($0) } : encoder.embed(texts)
            results.withLock { $0[worker] = vectors }
        }
        let all = results.withLock { $0 }
        #expect(all.count == 4)
        for (worker, vectors) in all {
            for (index, vector) in vectors.enumerated() {
                #expect(ModelFixture.cosine(vector, expected[index]) >= 0.99999, "worker \(worker) text \(index)")
            }
        }
    }

    @Test(.enabled(if: ModelFixture.available, ModelFixture.missing))
    func paraphrasesAreCloserThanUnrelatedTexts() throws {
        let encoder = try #require(ModelFixture.encoder)
        let vectors = encoder.embed([
            "Root account login detected without MFA",
            "The root user signed in without multi-factor authentication",
            "S3 bucket allows public read access",
        ])
        let paraphrase = ModelFixture.cosine(vectors[0], vectors[1])
        let unrelated = ModelFixture.cosine(vectors[0], vectors[2])
        #expect(paraphrase > 0.6)
        #expect(unrelated < 0.3)
    }

    @Test(.enabled(if: ModelFixture.available, ModelFixture.missing))
    func truncationUsesTheConfiguredLimit() throws {
        let short = try SentenceEncoder(modelDirectory: ModelFixture.directory, maxTokens: 8)
        #expect(short.maxTokens == 8)
        let head = "kms key rotation disabled for"
        let a = short.embed(head + " customer managed keys in production")
        let b = short.embed(head + " something entirely different about printers")
        #expect(ModelFixture.cosine(a, b) > 0.99999)
    }

    @Test func refusesBadArgumentsAndMissingModels() throws {
        #expect(ModelFixture.errorCode { try SentenceEncoder(modelDirectory: "/nonexistent/model") } == .modelNotFound)
        #expect(ModelFixture.errorCode { try SentenceEncoder(modelDirectory: ".", maxTokens: 1) } == .invalidArgument)
        #expect(ModelFixture.errorCode { try SentenceEncoder(modelDirectory: ".", maxTokens: 513) } == .invalidArgument)
        let directory = ModelFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ModelFixture.createFile(atPath: directory + "/vocab.txt", contents: Data("[CLS]\n[SEP]\n[UNK]\n".utf8))
        #expect(ModelFixture.errorCode { try SentenceEncoder(modelDirectory: directory) } == .modelNotFound)
    }
}
