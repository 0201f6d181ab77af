import Foundation

/// Turns BM25 scores into similarities in 0.01...1.0.
///
/// A control's raw score is divided by the query's score bound (see ``SearchIndex/rank(_:limit:)``):
/// the share of the query's idf-weighted terms the control matches, with term-frequency saturation.
/// That ratio r is mapped by a monotone curve, `similarity = 1 - exp(-r / scale)`, clamped to
/// 0.01...1.0, so a higher score always means a higher similarity for the same query.
enum SimilarityCalibration {
    /// Ratio at which the similarity reaches 1 - 1/e (about 0.63).
    static let scale = 0.25

    /// The similarity of a score.
    /// - Parameters:
    ///   - score: The control's score (after its boost).
    ///   - bound: The query's score bound.
    /// - Returns: A similarity in 0.01...1.0 (not yet rounded).
    static func similarity(score: Float, bound: Float) -> Double {
        guard bound > 0, score > 0 else {
            return 0.01
        }
        let ratio = Double(score / bound)
        return min(max(1 - exp(-ratio / scale), 0.01), 1.0)
    }
}
