import Mapping
import Semantic

/// The native all-MiniLM-L6-v2 encoder as the mapping engine's ``TextEmbedder`` (keeps `Mapping` free of the
/// `Semantic` module and its OpenBLAS dependency).
struct SentenceEmbedder: TextEmbedder {
    /// The encoder.
    let encoder: SentenceEncoder

    /// 384.
    var dimension: Int { encoder.dimension }

    /// Embeddings computed in batches by the encoder.
    /// - Parameter texts: Any texts.
    /// - Returns: One unit-length vector per text.
    func embed(_ texts: [String]) -> [[Float]] {
        encoder.embed(texts)
    }
}
