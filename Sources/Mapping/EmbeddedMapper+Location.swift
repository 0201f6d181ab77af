import Foundation

extension EmbeddedMapper {
    /// Environment variable naming a catalog directory that overrides the bundled one.
    public static let catalogDirectoryVariable = "LAKEMARK_CATALOG_DIR"
    /// Name of the resource bundle directory SwiftPM builds next to the executable.
    public static let resourceBundleName = "lakemark_Mapping.resources"

    /// Finds the catalog directory.
    ///
    /// Tried in order: the directory named by `LAKEMARK_CATALOG_DIR`; `lakemark_Mapping.resources/Catalogs`
    /// next to the running executable (`/proc/self/exe` resolved); the same below `Bundle.main`'s
    /// bundle and resource directories. The generated `Bundle.module` accessor is not used because
    /// it stops the process when the bundle is missing instead of reporting an error.
    /// - Parameter environment: The process environment.
    /// - Returns: A directory that contains `vocabulary.tsv`.
    /// - Throws: ``MappingError/Code/catalogNotFound`` listing the places tried.
    public static func bundledCatalogDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> URL {
        if let named = environment[catalogDirectoryVariable], !named.isEmpty {
            let url = URL(fileURLWithPath: named, isDirectory: true)
            guard hasVocabulary(url) else {
                throw MappingError(.catalogNotFound, "\(catalogDirectoryVariable)=\(named) has no vocabulary.tsv")
            }
            return url
        }
        var candidates: [URL] = []
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
            candidates.append(directory.appendingPathComponent(resourceBundleName).appendingPathComponent("Catalogs"))
        }
        candidates.append(
            Bundle.main.bundleURL.appendingPathComponent(resourceBundleName).appendingPathComponent("Catalogs")
        )
        if let resources = Bundle.main.resourceURL {
            candidates.append(resources.appendingPathComponent(resourceBundleName).appendingPathComponent("Catalogs"))
        }
        if let found = candidates.first(where: hasVocabulary) {
            return found
        }
        var seen = Set<String>()
        let tried = candidates.map(\.path).filter { seen.insert($0).inserted }.joined(separator: ", ")
        throw MappingError(
            .catalogNotFound,
            "no catalog directory found; set \(catalogDirectoryVariable) (tried \(tried))"
        )
    }

    private static func hasVocabulary(_ directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("vocabulary.tsv").path)
    }
}
