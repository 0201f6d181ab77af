/// Maps security texts to compliance controls.
///
/// Implemented by ``EmbeddedMapper`` (in-process catalogs) and by the remote mapping API client.
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

    /// Whether ``map(_:hints:options:)`` uses the event types (callers skip collecting them otherwise).
    var usesEventTypeHints: Bool { get }

    /// Whether the same text, event type and options always give the same matches, so callers may keep what
    /// they made of an answer (the embedded engine: yes; a remote API, whose answers can fail or change: no).
    var answersAreStable: Bool { get }

    /// Maps texts to controls, each with the type of the event it came from, when known.
    /// - Parameters:
    ///   - texts: The texts to map.
    ///   - hints: The event type of each text (`nil` or missing entries: none).
    ///   - options: Frameworks, threshold and how many controls per framework.
    /// - Returns: As ``map(_:options:)``.
    /// - Throws: As ``map(_:options:)``.
    func map(_ texts: [String], hints: [EventTypeHint?], options: MappingOptions) throws -> [[ControlMatch]]
}

extension ComplianceMapper {
    /// Event types are not used.
    public var usesEventTypeHints: Bool { false }

    /// Answers are not known to be stable.
    public var answersAreStable: Bool { false }

    /// Ignores the event types and maps the texts alone.
    /// - Parameters:
    ///   - texts: The texts to map.
    ///   - hints: Ignored.
    ///   - options: Frameworks, threshold and how many controls per framework.
    /// - Returns: As ``map(_:options:)``.
    /// - Throws: As ``map(_:options:)``.
    public func map(_ texts: [String], hints: [EventTypeHint?], options: MappingOptions) throws -> [[ControlMatch]] {
        try map(texts, options: options)
    }
}
