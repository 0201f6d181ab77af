import Foundation

/// all-MiniLM-L6-v2 sentence embeddings computed natively: WordPiece tokenizer, 6-layer BERT encoder,
/// mean pooling over the tokens, L2 normalisation. 384 dimensions; the dot product of two embeddings is
/// their cosine similarity.
///
/// The model directory is the one `scripts/fetch_model.sh` makes (`model.safetensors` plus `vocab.txt` or
/// `tokenizer.json`). Weights are read once at initialisation (the word-embedding table stays memory-mapped);
/// the encoder is immutable, so one instance can serve many threads at once. Dense layers run on OpenBLAS
/// with one thread per call (set process-wide when an encoder is created); attention, layer norms and GELU
/// are Swift SIMD loops.
public final class SentenceEncoder: Sendable {
    /// Default token limit, `[CLS]` and `[SEP]` included: the upstream model reads up to 256; 128 is faster
    /// and covers the short texts of security findings.
    public static let defaultMaxTokens = 128
    /// Largest batch the dense layers see at once, in tokens; longer lists are encoded in several batches.
    public static let batchTokenBudget = 4096

    /// The tokenizer the encoder uses.
    public let tokenizer: WordPieceTokenizer
    /// Token limit per text, `[CLS]` and `[SEP]` included.
    public let maxTokens: Int
    private let model: BertModel

    /// Loads weights and vocabulary (about 0.1 s).
    /// - Parameters:
    ///   - modelDirectory: Directory with `model.safetensors` and `vocab.txt` or `tokenizer.json`.
    ///   - maxTokens: Token limit per text including `[CLS]`/`[SEP]`, 2...512 (default 128; the upstream
    ///     sentence-transformers configuration uses 256). Longer texts are truncated.
    /// - Throws: `SemanticError` `.modelNotFound` when the directory or a file is missing, `.modelInvalid`
    ///   when a file is malformed, `.invalidArgument` when `maxTokens` is out of range.
    public init(modelDirectory: String, maxTokens: Int = SentenceEncoder.defaultMaxTokens) throws(SemanticError) {
        guard (2...BertModel.maxPositions).contains(maxTokens) else {
            throw SemanticError(.invalidArgument, "maxTokens \(maxTokens) is outside 2...\(BertModel.maxPositions)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: modelDirectory, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw SemanticError(.modelNotFound, "\(modelDirectory): no such model directory")
        }
        let tokenizer = try WordPieceTokenizer(modelDirectory: modelDirectory)
        let file = try SafeTensorsFile(path: modelDirectory + "/model.safetensors")
        self.model = try BertModel(file: file, vocabularySize: tokenizer.vocabularySize)
        self.tokenizer = tokenizer
        self.maxTokens = maxTokens
    }

    /// Size of an embedding: 384.
    public var dimension: Int { BertModel.hidden }

    /// The embedding of one text.
    /// - Parameter text: Any text; it is truncated to ``maxTokens`` tokens.
    /// - Returns: ``dimension`` floats of unit length.
    public func embed(_ text: String) -> [Float] {
        model.embed([tokenizer.tokenize(text, maxTokens: maxTokens)])[0]
    }

    /// Embeddings of several texts, computed in batches (faster per text than one at a time).
    /// - Parameter texts: Any texts.
    /// - Returns: One unit-length vector per text, in order.
    public func embed(_ texts: [String]) -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        var batch: [[Int32]] = []
        var batchTokens = 0
        for text in texts {
            let ids = tokenizer.tokenize(text, maxTokens: maxTokens)
            if batchTokens + ids.count > Self.batchTokenBudget, !batch.isEmpty {
                vectors.append(contentsOf: model.embed(batch))
                batch.removeAll(keepingCapacity: true)
                batchTokens = 0
            }
            batch.append(ids)
            batchTokens += ids.count
        }
        if !batch.isEmpty {
            vectors.append(contentsOf: model.embed(batch))
        }
        return vectors
    }
}
