/// Version information printed by `lakemark version` and sent as the client's user agent.
public enum BuildInfo {
    /// The release version.
    public static let version = "0.1.0"
}
