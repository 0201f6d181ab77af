/// The compliance mapping of one event, written to the `description` and `secberus_compliance` columns and as
/// one OCSF `enrichments[]` element.
public struct OCSFEnrichment: Sendable {
    /// One mapped control.
    public struct Match: Sendable, Equatable {
        /// The framework id, e.g. `nist_800_53_r5`.
        public var frameworkID: String
        /// The control id, e.g. `AU-9`.
        public var controlID: String
        /// The control family.
        public var family: String
        /// The similarity, 0.01…1.0.
        public var similarity: Double
        /// The confidence level, e.g. `High`.
        public var confidence: String

        /// Creates a match.
        /// - Parameters:
        ///   - frameworkID: the framework id.
        ///   - controlID: the control id.
        ///   - family: the family.
        ///   - similarity: the similarity.
        ///   - confidence: the confidence level.
        public init(frameworkID: String, controlID: String, family: String, similarity: Double, confidence: String) {
            self.frameworkID = frameworkID
            self.controlID = controlID
            self.family = family
            self.similarity = similarity
            self.confidence = confidence
        }
    }

    /// The OCSF attribute the text came from, e.g. `finding_info.title` (the enrichment's `name`).
    public var attribute: String
    /// The text the mapper read (the enrichment's `value` and the `description` column).
    public var text: String
    /// The mapped controls; empty writes a null `secberus_compliance` and no enrichment element.
    public var matches: [Match]
    /// The same controls as a JSON array (the enrichment's `data`).
    public var matchesJSON: [UInt8]

    /// The enrichment's `type`.
    public static let type = "compliance_mapping"
    /// The enrichment's `provider`.
    public static let provider = "secberus"

    /// Creates an enrichment.
    /// - Parameters:
    ///   - attribute: the source attribute path.
    ///   - text: the mapped text.
    ///   - matches: the controls.
    ///   - matchesJSON: the controls as JSON.
    public init(attribute: String, text: String, matches: [Match], matchesJSON: [UInt8]) {
        self.attribute = attribute
        self.text = text
        self.matches = matches
        self.matchesJSON = matchesJSON
    }
}
