/// How much trust to put in a match, bucketed from its similarity.
///
/// Cut points (similarity after rounding to two decimals):
/// - ``high``: 0.70 and above
/// - ``medium``: 0.50 to 0.69
/// - ``low``: 0.30 to 0.49
/// - ``veryLow``: below 0.30
///
/// Cases compare in increasing order of confidence (`.veryLow < .high`).
public enum Confidence: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Similarity below 0.30.
    case veryLow = "Very Low"
    /// Similarity from 0.30 to 0.49.
    case low = "Low"
    /// Similarity from 0.50 to 0.69.
    case medium = "Medium"
    /// Similarity of 0.70 or more.
    case high = "High"

    /// The lowest similarity of each bucket above ``veryLow``, in descending order.
    public static let cutPoints: [(confidence: Confidence, minSimilarity: Double)] = [
        (.high, 0.70), (.medium, 0.50), (.low, 0.30),
    ]

    /// The bucket of a similarity.
    /// - Parameter similarity: A similarity in 0...1 (rounded to two decimals by the caller).
    /// - Returns: The confidence bucket.
    public static func bucket(forSimilarity similarity: Double) -> Confidence {
        for cut in cutPoints where similarity >= cut.minSimilarity - 1e-9 {
            return cut.confidence
        }
        return .veryLow
    }

    /// Orders buckets from ``veryLow`` to ``high``.
    public static func < (lhs: Confidence, rhs: Confidence) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        Confidence.allCases.firstIndex(of: self) ?? 0
    }
}
