import Foundation

/// Turns BM25 scores into similarities in 0.01...1.0.
///
/// `similarity = 1 - exp(-score / scale)`, clamped to 0.01...1.0: monotone in the score, so a
/// higher-scoring control always has a higher (or equal, after rounding) similarity. The score is
/// the control's BM25F score after its boost (see ``SearchIndex``); with ``scale`` = 20 a score of 7
/// gives about 0.30, 14 about 0.50 and 24 about 0.70, the cut points of ``Confidence``. The scale was
/// chosen on the development sets so that the precision of the top-1 answer falls from bucket to
/// bucket (High > Medium > Low > Very Low). The fused score (this similarity plus a control's
/// scaled prior) is then mapped to the reported similarity by ``calibrated(_:knots:)``.
enum SimilarityCalibration {
    /// Score at which the similarity reaches 1 - 1/e (about 0.63).
    static let scale = 20.0

    /// The reported similarity of a fused score (lexical similarity plus scaled prior).
    ///
    /// Piecewise linear through (0, 0), (knots[0], 0.30), (knots[1], 0.50), (knots[2], 0.70) and
    /// (knots[3], 1.0), so the cut points of ``Confidence`` fall on the knots; without knots the fused
    /// score itself. Clamped to 0.01...1.0; monotone, so the order of the ranking is kept.
    /// - Parameters:
    ///   - fused: The fused score.
    ///   - knots: Four increasing fused scores, or empty.
    /// - Returns: A similarity in 0.01...1.0 (not yet rounded).
    static func calibrated(_ fused: Float, knots: [Float]) -> Double {
        guard knots.count == 4 else {
            return min(max(Double(fused), 0.01), 1.0)
        }
        let targets: [Float] = [0.30, 0.50, 0.70, 1.0]
        var lowerScore: Float = 0
        var lowerSimilarity: Float = 0
        for (knot, target) in zip(knots, targets) {
            if fused <= knot {
                let share = (fused - lowerScore) / (knot - lowerScore)
                return min(max(Double(lowerSimilarity + share * (target - lowerSimilarity)), 0.01), 1.0)
            }
            lowerScore = knot
            lowerSimilarity = target
        }
        return 1.0
    }

    /// The lexical similarity of a BM25F score.
    /// - Parameter score: The control's score (after its boost).
    /// - Returns: A similarity in 0.01...1.0 (not yet rounded).
    static func similarity(score: Float) -> Double {
        guard score > 0 else {
            return 0.01
        }
        return min(max(1 - exp(-Double(score) / scale), 0.01), 1.0)
    }

    /// A cheap upper bound of ``similarity(score:)`` (after its conversion to Float), for skipping candidates
    /// that cannot rank: with x = score / ``scale``, 1 - exp(-x) <= x - x^2/2 + x^3/6 for every x >= 0 (the
    /// Taylor series of exp(-x) alternates), widened by a margin far above the rounding of either side.
    /// - Parameter score: The control's score (after its boost).
    /// - Returns: A value at least `Float(similarity(score: score))`.
    @inline(__always)
    static func similarityBound(score: Float) -> Float {
        let x = score * Float(1 / scale)
        let series = x * (1 - x * (0.5 - x * (1 / 6 as Float)))
        return min(max(series * (1 + 1e-4) + 1e-6, 0.01), 1)
    }
}
