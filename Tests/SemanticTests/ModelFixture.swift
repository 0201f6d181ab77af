import Foundation
import Semantic
import Testing

/// The model directory and the reference cases the Semantic tests compare against.
enum ModelFixture {
    /// The repository root, found from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `$LAKEMARK_MODEL_DIR`, else `<repo>/models/all-minilm-l6-v2`.
    static let directory: String = ProcessInfo.processInfo.environment["LAKEMARK_MODEL_DIR"]
        ?? repositoryRoot.appendingPathComponent("models/all-minilm-l6-v2").path

    /// Whether the weights are there.
    static let available = FileManager.default.fileExists(atPath: directory + "/model.safetensors")

    /// The skip message for tests that need the weights.
    static let missing: Comment = "all-MiniLM-L6-v2 not found at models/all-minilm-l6-v2 (run scripts/fetch_model.sh)"

    /// One encoder for every test (loading packs 22 M floats).
    static let encoder: SentenceEncoder? = try? SentenceEncoder(modelDirectory: directory)

    /// One reference case: a text, its token limit, the ids of Hugging Face's tokenizer and, for some,
    /// the NumPy reference embedding (Fixtures/README.md).
    struct Case: Sendable {
        /// Case id, `t…` or `x…`.
        let id: String
        /// The text.
        let text: String
        /// Token limit, `[CLS]`/`[SEP]` included.
        let maxTokens: Int
        /// Expected ids.
        let ids: [Int32]
        /// Expected embedding, when the case has one.
        let vector: [Float]?
    }

    /// The cases of `Fixtures/reference.jsonl`.
    static let cases: [Case] = {
        let url = repositoryRoot.appendingPathComponent("Tests/SemanticTests/Fixtures/reference.jsonl")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = object["id"] as? String, let text = object["text"] as? String,
                let maxTokens = object["max_tokens"] as? Int, let ids = object["ids"] as? [Int]
            else { return nil }
            let vector = (object["vector"] as? [Double])?.map { Float($0) }
            return Case(id: id, text: text, maxTokens: maxTokens, ids: ids.map { Int32($0) }, vector: vector)
        }
    }()

    /// Cosine of two vectors, in double precision.
    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0
        var normA = 0.0
        var normB = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            normA += Double(x) * Double(x)
            normB += Double(y) * Double(y)
        }
        return dot / max((normA * normB).squareRoot(), 1e-30)
    }

    /// The code of the `SemanticError` `body` throws; `nil` when it returns or throws another error.
    static func errorCode<Result>(_ body: () throws -> Result) -> SemanticError.Code? {
        do {
            _ = try body()
            return nil
        } catch let error as SemanticError {
            return error.code
        } catch {
            return nil
        }
    }

    /// Writes a file, replacing it.
    static func createFile(atPath path: String, contents: Data) throws {
        try contents.write(to: URL(fileURLWithPath: path))
    }

    /// A fresh empty directory under the temporary directory.
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "/semantic-tests-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
