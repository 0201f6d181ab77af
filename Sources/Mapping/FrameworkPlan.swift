/// What the embedded engine needs to answer one requested framework, looked up once per request rather than
/// once per text (the engine's tables are keyed by catalogue name).
struct FrameworkPlan {
    /// The framework as requested (`soc2` and `aicpa_tsc` share a catalogue but answer under their own id).
    let framework: FrameworkID
    /// The catalogue's index.
    let index: SearchIndex
    /// The crosswalk projection from 800-53 into this catalogue, if any.
    let projection: ProjectionTable?
    /// The catalogue's semantic re-ranker, when the engine has an embedder.
    let reranker: SemanticReranker?
    /// The catalogue's family numbering and penalties.
    let diversity: FamilyDiversity?

    /// Whether this is the 800-53 catalogue, whose ranking also feeds the projection.
    var isNIST: Bool { framework == .nist80053r5 }

    /// Candidates ranked: one more than asked (the runner-up's score sets the top answer's margin), all the
    /// re-ranker reads, or all the family penalty reads.
    /// - Parameters:
    ///   - topK: Answers asked for.
    ///   - reranked: Whether the re-ranker orders this text's candidates.
    func candidateCount(topK: Int, reranked: Bool) -> Int {
        let diverse = (diversity?.lexicalPenalty ?? 0) > 0 ? FamilyDiversity.lexicalDepth : 0
        guard reranked, let reranker else {
            return max(topK + 1, diverse)
        }
        // A re-ranker that leaves unfamiliar texts to the lexical engine needs what the engine's answers read too.
        return max(topK + 1, reranker.topN, reranker.unfamiliarKeepsEngine ? diverse : 0)
    }

    /// The re-ranker's lexical depth when it orders this text's candidates, else 0 (no lexical ranks computed).
    /// - Parameter reranked: Whether the re-ranker orders this text's candidates.
    func lexicalDepth(reranked: Bool) -> Int {
        reranked ? reranker?.lexicalDepth ?? 0 : 0
    }
}
