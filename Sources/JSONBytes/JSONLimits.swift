/// Bounds that keep parsing of untrusted input cheap and safe.
public struct JSONLimits: Sendable {
    /// Deepest nesting of objects and arrays accepted. Default: 512 levels.
    public var maxDepth: Int
    /// Most values (nodes) one text may hold. Default: 10,000,000 nodes.
    public var maxNodes: Int

    /// Creates limits.
    /// - Parameters:
    ///   - maxDepth: deepest nesting accepted (levels).
    ///   - maxNodes: most values accepted (nodes).
    public init(maxDepth: Int = 512, maxNodes: Int = 10_000_000) {
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }
}
