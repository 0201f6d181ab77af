/// The type of the event a text came from, when the caller knows it (for example from the event's fields).
///
/// The embedded engine adds the controls known for that event type (`event_priors.tsv`) to what the text
/// matches. Sources the engine knows: `cloudtrail` (type: `eventName`, e.g. `StopLogging`), `guardduty`
/// (finding type, e.g. `Recon:EC2/PortProbeUnprotectedPort`), `okta` (`eventType`, e.g. `user.session.start`)
/// and `k8s-audit` (audit `verb` and `objectRef.resource[/subresource]` separated by a space, e.g.
/// `get secrets`). Other sources and unknown types add nothing. A known type replaces the types the text itself
/// names (see ``EmbeddedMapper``).
public struct EventTypeHint: Sendable, Hashable {
    /// The event family (`cloudtrail`, `guardduty`, `okta`, `k8s-audit`).
    public let source: String
    /// The event type within the family, as the event spells it.
    public let type: String
    /// Whether the event's fields say its action failed; `nil` when they say nothing (the text's words decide then).
    /// A failed event of a type with a failure row gets that row's controls (see ``EmbeddedMapper``).
    public let failed: Bool?

    /// Creates a hint.
    /// - Parameters:
    ///   - source: The event family.
    ///   - type: The event type.
    ///   - failed: Whether the event's fields say it failed (`nil`: unknown). Default: unknown.
    public init(source: String, type: String, failed: Bool? = nil) {
        self.source = source
        self.type = type
        self.failed = failed
    }
}
