extension EmbeddedMapper {
    /// The engine's answer depends only on the text, its event type, the options and the catalogs loaded once.
    public var answersAreStable: Bool { true }
}
