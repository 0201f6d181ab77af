/// One control a text was mapped to.
public struct ControlMatch: Sendable, Hashable {
    /// The framework the control belongs to (as requested: `soc2` or `aicpa_tsc`).
    public let frameworkID: FrameworkID
    /// The control id in the framework's canonical form (`IA-2(1)`, `8.4.2`, `A.8.5`, `CC6.1`, `PR.AA-03`).
    public let controlID: String
    /// The control's family: 800-53 family, CSF category, PCI principal requirement, ISO theme or TSC category.
    public let family: String
    /// Calibrated similarity in 0.01...1.0, rounded to two decimals.
    public let similarity: Double
    /// The confidence level: the bucket of ``similarity``, or what a remote API answered.
    public let confidence: Confidence

    /// Creates a match; the confidence is derived from the similarity unless given (a remote API's answer).
    /// - Parameters:
    ///   - frameworkID: The framework.
    ///   - controlID: The control id.
    ///   - family: The control's family.
    ///   - similarity: Similarity in 0.01...1.0 (rounded to two decimals here).
    ///   - confidence: The confidence level; `nil` derives it from the similarity.
    public init(
        frameworkID: FrameworkID,
        controlID: String,
        family: String,
        similarity: Double,
        confidence: Confidence? = nil
    ) {
        let rounded = ControlMatch.rounded(similarity)
        self.frameworkID = frameworkID
        self.controlID = controlID
        self.family = family
        self.similarity = rounded
        self.confidence = confidence ?? Confidence.bucket(forSimilarity: rounded)
    }

    /// A similarity as a match reports it: clamped to 0.01...1.0 and rounded to two decimals.
    /// - Parameter similarity: A similarity.
    /// - Returns: The reported similarity.
    public static func rounded(_ similarity: Double) -> Double {
        (min(max(similarity, 0.01), 1.0) * 100).rounded() / 100
    }
}
