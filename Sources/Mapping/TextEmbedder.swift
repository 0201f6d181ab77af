/// Turns texts into unit-length sentence embeddings for the semantic re-ranker (``SemanticReranker``).
///
/// The mapping engine does not compute embeddings itself: the executable hands it an embedder (the native
/// all-MiniLM-L6-v2 encoder of the `Semantic` module) when a model directory is configured, and without one
/// the engine ranks lexically as before.
public protocol TextEmbedder: Sendable {
    /// Number of floats in each embedding.
    var dimension: Int { get }

    /// Embeddings of texts, computed together (faster per text than one at a time).
    /// - Parameter texts: Any texts.
    /// - Returns: One unit-length vector of ``dimension`` floats per text, in order.
    func embed(_ texts: [String]) -> [[Float]]
}
