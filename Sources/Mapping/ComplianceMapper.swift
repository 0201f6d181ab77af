/// Maps security texts to compliance controls.
///
/// Implemented by ``EmbeddedMapper`` (in-process catalogs) and, later, by a remote API client.
public protocol ComplianceMapper: Sendable {
    /// Maps texts to controls.
    /// - Parameters:
    ///   - texts: The texts to map (finding titles and descriptions, synthesised event text).
    ///   - options: Frameworks, threshold and how many controls per framework.
    /// - Returns: One array per input text, in input order. Each holds up to `options.topK` matches per
    ///   framework, frameworks in `options.frameworks` order, each framework's matches by descending
    ///   similarity. Matches below the threshold are left out.
    /// - Throws: ``MappingError`` when the options are invalid; implementations may throw other errors
    ///   (e.g. transport errors of a remote mapper).
    func map(_ texts: [String], options: MappingOptions) throws -> [[ControlMatch]]
}
