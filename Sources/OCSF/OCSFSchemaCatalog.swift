import Foundation

/// The pinned OCSF class schemas bundled with the build (`Sources/OCSF/Schemas/<class_uid>.tsv`), by class id.
public struct OCSFSchemaCatalog: Sendable {
    /// The schemas by class id.
    public let schemas: [Int: OCSFClassSchema]

    /// Creates a catalog from parsed schemas.
    /// - Parameter schemas: the schemas.
    public init(schemas: [OCSFClassSchema]) {
        var byID: [Int: OCSFClassSchema] = [:]
        for schema in schemas { byID[schema.classUID] = schema }
        self.schemas = byID
    }

    /// Name of the resource bundle directory SwiftPM builds next to the executable.
    public static let resourceBundleName = "lakemark_OCSF.resources"

    /// The schemas bundled with the build.
    /// - Returns: the catalog.
    /// - Throws: ``OCSFError`` (`bad_schema`) when no schema directory is found or a file is unreadable.
    public static func bundled() throws(OCSFError) -> OCSFSchemaCatalog {
        try load(directory: try bundledDirectory())
    }

    /// Finds the schema directory: `lakemark_OCSF.resources/Schemas` next to the running executable
    /// (`/proc/self/exe` resolved), else the same below `Bundle.main`'s bundle and resource directories (the image
    /// copies the bundle next to the binary). `Bundle.module` is not used: it stops the process when the bundle is
    /// missing instead of reporting an error.
    /// - Returns: the directory path.
    /// - Throws: ``OCSFError`` (`bad_schema`) listing the places tried.
    public static func bundledDirectory() throws(OCSFError) -> String {
        var candidates: [URL] = []
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
        }
        candidates.append(Bundle.main.bundleURL)
        if let resources = Bundle.main.resourceURL { candidates.append(resources) }
        var seen: Set<String> = []
        let directories = candidates.map {
            $0.appendingPathComponent(resourceBundleName).appendingPathComponent("Schemas").path
        }.filter { seen.insert($0).inserted }
        if let found = directories.first(where: { FileManager.default.fileExists(atPath: $0 + "/6003.tsv") }) {
            return found
        }
        throw OCSFError(
            .badSchema,
            path: "",
            "no OCSF schema directory found (tried \(directories.joined(separator: ", ")))"
        )
    }

    /// Loads every `*.tsv` schema of a directory.
    /// - Parameter directory: the directory path.
    /// - Returns: the catalog.
    /// - Throws: ``OCSFError`` (`bad_schema`) when a file cannot be read or parsed.
    public static func load(directory: String) throws(OCSFError) -> OCSFSchemaCatalog {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tsv") }
        } catch {
            throw OCSFError(.badSchema, path: directory, "cannot list: \(error.localizedDescription)")
        }
        var schemas: [OCSFClassSchema] = []
        for name in names.sorted() {
            guard let data = FileManager.default.contents(atPath: directory + "/" + name) else {
                throw OCSFError(.badSchema, path: name, "cannot read")
            }
            schemas.append(try OCSFClassSchema.parse(String(decoding: data, as: UTF8.self)))
        }
        return OCSFSchemaCatalog(schemas: schemas)
    }

    /// The schema of a class.
    /// - Parameter classUID: the class id.
    /// - Returns: the schema, or `nil` when the build has none.
    public func schema(classUID: Int) -> OCSFClassSchema? { schemas[classUID] }
}
