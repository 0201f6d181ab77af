/// How the ranked candidates of one framework become its answers: the lexical engine's or the re-ranker's order, made
/// family-diverse (``FamilyDiversity``), with similarities that never rise down the list.
extension EmbeddedMapper {
    /// The matches of a framework in the lexical engine's order, family-diverse when the catalogue has a lexical
    /// penalty: each with its calibrated similarity, at most that of the answer before; the top answer's also
    /// reflects how far it leads the runner-up (it only moves further ahead).
    func lexicalAnswers(
        _ hits: [(index: Int, score: Float, lexical: Float)],
        plan: FrameworkPlan,
        options: MappingOptions
    ) -> [ControlMatch] {
        let index = plan.index
        let runnerUp = hits.count > 1 ? hits[1].score : 0
        var order = Array(hits.indices.prefix(options.topK))
        if let diversity = plan.diversity, diversity.lexicalPenalty > 0 {
            // The unit is the spread of the top candidates, whatever `topk` and the threshold are.
            let ranked = hits.prefix(FamilyDiversity.lexicalDepth)
            let scores = ranked.map { Double($0.score) }
            let eligible = ranked.indices.filter { $0 == 0 || passes(hits[$0], index: index, options: options) }
            order = diversity.order(
                controls: eligible.map { hits[$0].index },
                scores: eligible.map { scores[$0] },
                penalty: diversity.lexicalPenalty * FamilyDiversity.spread(scores),
                count: options.topK
            ).map { eligible[$0] }
        }
        return answers(hits, in: order, index: index, framework: plan.framework, options: options) { position in
            let top = hits[position].score
            let evidence = top + index.marginWeight * max(top - runnerUp, 0)
            return SimilarityCalibration.calibrated(evidence, knots: index.calibration)
        }
    }

    /// The matches of a framework in the re-ranker's order: the top answer with the re-ranker's similarity (with the
    /// thresholds of a moved answer when it is not the engine's top, and at most Medium when the engine rates it Very
    /// Low or the text is far from its prototype), the others with their calibrated engine similarity, at most that of
    /// the answer before. A text far from its prototype keeps the lexical engine's answers instead when the catalogue's
    /// re-ranker says so (``SemanticReranker/unfamiliarKeepsEngine``).
    func reranked(
        _ hits: [(index: Int, score: Float, lexical: Float)],
        by reranker: SemanticReranker,
        embedding: [Float],
        plan: FrameworkPlan,
        options: MappingOptions
    ) -> [ControlMatch] {
        let index = plan.index
        let candidates = hits.map { SemanticReranker.Candidate(index: $0.index, fused: $0.score, lexical: $0.lexical) }
        let (scorerOrder, scores, probability, cosine) = reranker.rerank(candidates, embedding: embedding)
        if reranker.unfamiliarKeepsEngine && cosine < reranker.familiarity {
            return lexicalAnswers(hits, plan: plan, options: options)
        }
        var order = scorerOrder
        if let diversity = plan.diversity, diversity.rerankedPenalty > 0 {
            let eligible = scores.indices.filter { $0 == 0 || passes(hits[order[$0]], index: index, options: options) }
            let head = diversity.order(
                controls: eligible.map { hits[order[$0]].index },
                scores: eligible.map { scores[$0] },
                penalty: diversity.rerankedPenalty,
                count: options.topK
            )
            order = head.map { order[eligible[$0]] } + order.dropFirst(scores.count)
        }
        let shown = order.prefix(options.topK)
        return answers(hits, in: shown, index: index, framework: plan.framework, options: options) {
            reranker.similarity(
                probability: probability,
                moved: $0 != 0,
                engineSimilarity: SimilarityCalibration.calibrated(hits[$0].score, knots: index.calibration),
                prototypeCosine: cosine
            )
        }
    }

    /// Whether a candidate's own calibrated similarity passes the options' threshold: the family penalty places
    /// only those after the top answer, so an answer it moves up never pushes one that passes below the threshold
    /// (each answer's similarity is at most that of the one before).
    private func passes(
        _ hit: (index: Int, score: Float, lexical: Float),
        index: SearchIndex,
        options: MappingOptions
    ) -> Bool {
        let similarity = SimilarityCalibration.calibrated(hit.score, knots: index.calibration)
        return options.accepts(similarity: ControlMatch.rounded(similarity))
    }

    /// The matches of the hits at `order`'s positions that the options accept: the first with `topSimilarity` of its
    /// position, each other with its calibrated similarity, at most that of the answer before it.
    private func answers(
        _ hits: [(index: Int, score: Float, lexical: Float)],
        in order: some Sequence<Int>,
        index: SearchIndex,
        framework: FrameworkID,
        options: MappingOptions,
        topSimilarity: (Int) -> Double
    ) -> [ControlMatch] {
        var out: [ControlMatch] = []
        var ceiling: Double?
        for position in order {
            let hit = hits[position]
            let similarity = ceiling.map {
                min(SimilarityCalibration.calibrated(hit.score, knots: index.calibration), $0)
            } ?? topSimilarity(position)
            ceiling = similarity
            let match = ControlMatch(
                frameworkID: framework,
                controlID: index.ids[hit.index],
                family: index.families[hit.index],
                similarity: similarity
            )
            if options.accepts(similarity: match.similarity) {
                out.append(match)
            }
        }
        return out
    }
}
