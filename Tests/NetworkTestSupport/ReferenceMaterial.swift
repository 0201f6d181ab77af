import Foundation

/// The shared reference folder (sample events, mapping development sets, SigV4 vectors) that tests read when it
/// is there; a user's clone has none, and those tests skip.
public enum ReferenceMaterial {
    /// The repository root (three levels above this file).
    private static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The first of `$LAKEMARK_SHARED`, `<repo>/../shared` and `/work/shared` that holds `subpath`.
    /// - Parameter subpath: What the folder must contain, e.g. `data/events`.
    /// - Returns: The shared folder itself (not the subpath), or `nil` when none holds it.
    public static func sharedDirectory(holding subpath: String) -> URL? {
        var candidates: [URL] = []
        if let configured = ProcessInfo.processInfo.environment["LAKEMARK_SHARED"], !configured.isEmpty {
            candidates.append(URL(fileURLWithPath: configured))
        }
        candidates.append(repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared"))
        candidates.append(URL(fileURLWithPath: "/work/shared"))
        return candidates.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent(subpath).path)
        }
    }
}
