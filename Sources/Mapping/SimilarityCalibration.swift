import Foundation

/// Turns BM25 scores into similarities in 0.01...1.0.
///
/// `similarity = 1 - exp(-score / scale)`, clamped to 0.01...1.0: monotone in the score, so a
/// higher-scoring control always has a higher (or equal, after rounding) similarity. The score is
/// the control's BM25F score after its boost (see ``SearchIndex``); with ``scale`` = 20 a score of 7
/// gives about 0.30, 14 about 0.50 and 24 about 0.70, the cut points of ``Confidence``. The scale was
/// chosen on the development sets so that the precision of the top-1 answer falls from bucket to
/// bucket (High > Medium > Low > Very Low).
enum SimilarityCalibration {
    /// Score at which the similarity reaches 1 - 1/e (about 0.63).
    static let scale = 20.0

    /// The similarity of a score.
    /// - Parameter score: The control's score (after its boost).
    /// - Returns: A similarity in 0.01...1.0 (not yet rounded).
    static func similarity(score: Float) -> Double {
        guard score > 0 else {
            return 0.01
        }
        return min(max(1 - exp(-Double(score) / scale), 0.01), 1.0)
    }
}
