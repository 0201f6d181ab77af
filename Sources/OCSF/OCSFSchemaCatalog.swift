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

    /// The schemas bundled with the build.
    /// - Returns: the catalog.
    /// - Throws: ``OCSFError`` (`bad_schema`) when a bundled file is missing or unreadable.
    public static func bundled() throws(OCSFError) -> OCSFSchemaCatalog {
        guard let directory = Bundle.module.url(forResource: "Schemas", withExtension: nil) else {
            throw OCSFError(.badSchema, path: "", "the bundled Schemas directory is missing")
        }
        return try load(directory: directory.path)
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
