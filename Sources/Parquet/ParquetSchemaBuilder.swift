/// Walks the fields of a schema once, validating them and producing the shredding tree, the leaf columns and the
/// footer's schema elements.
struct ParquetSchemaBuilder {
    /// Where a field sits: the levels and names of its parent.
    struct Parent {
        /// The definition level when the parent is present.
        let definitionLevel: Int
        /// The repetition level inherited from the nearest repeated ancestor.
        let repetitionLevel: Int
        /// The schema names from the root's child down to the parent.
        let names: [String]
        /// The error-message path of the parent, empty at the root.
        let displayPath: String
        /// The nesting depth of the parent.
        let depth: Int

        /// The root of the schema.
        static let root = Parent(definitionLevel: 0, repetitionLevel: 0, names: [], displayPath: "", depth: 0)
    }

    /// The shredding nodes built so far.
    private(set) var nodes: [ShredNode] = []
    /// The error-message path of each node (for example `finding_info.types[]`).
    private(set) var paths: [String] = []
    /// The children's node indices of every group and list, each node's run given by ``ShredNode/children``.
    private(set) var childIndices: [Int] = []
    /// The leaf columns built so far.
    private(set) var columns: [ParquetColumnDescriptor] = []
    /// The schema elements built so far, depth first, without the root.
    private(set) var elements: [ParquetSchemaElement] = []

    /// Adds sibling fields.
    /// - Parameters:
    ///   - fields: The fields.
    ///   - parent: Their parent.
    /// - Returns: Their node indices.
    /// - Throws: ``ParquetError`` (``ParquetError/Code/invalidSchema``).
    mutating func addFields(_ fields: [ParquetField], parent: Parent) throws(ParquetError) -> [Int] {
        var seen = Set<String>()
        var indices: [Int] = []
        for field in fields {
            guard !field.name.isEmpty else {
                throw invalid(Self.join(parent.displayPath, "<empty>"), "has an empty name")
            }
            guard seen.insert(field.name).inserted else {
                throw invalid(Self.join(parent.displayPath, field.name), "is declared twice")
            }
            indices.append(try addField(field, parent: parent, display: Self.join(parent.displayPath, field.name)))
        }
        return indices
    }

    /// Adds one field and everything under it.
    /// - Parameters:
    ///   - field: The field.
    ///   - parent: Its parent.
    ///   - display: The field's path in error messages (a list element is shown as `<list>[]`).
    /// - Returns: Its node index.
    /// - Throws: ``ParquetError`` (``ParquetError/Code/invalidSchema``).
    private mutating func addField(
        _ field: ParquetField, parent: Parent, display: String
    ) throws(ParquetError) -> Int {
        guard parent.depth < ParquetSchema.maximumDepth else { throw invalid(display, "is nested too deeply") }
        let repetition = field.repetition
        let definedLevel = parent.definitionLevel + (repetition == .required ? 0 : 1)
        let repeatLevel = parent.repetitionLevel + (repetition == .repeated ? 1 : 0)
        let names = parent.names + [field.name]
        let childDisplay = repetition == .repeated ? display + "[]" : display
        let firstColumn = columns.count
        let nodeIndex = nodes.count
        // Reserve the node's slot so that parents come before their children.
        nodes.append(ShredNode(
            kind: .group, repetition: repetition, definedLevel: definedLevel, repeatLevel: repeatLevel,
            columns: firstColumn..<firstColumn, children: 0..<0, physical: .boolean, logical: .none))
        paths.append(childDisplay)
        let kind: ShredNode.Kind
        var children: [Int] = []
        var physical = ParquetPhysicalType.boolean
        var logical = ParquetLogicalType.none
        switch field {
        case .primitive(let name, _, let type, let annotation):
            guard Self.fits(annotation, type) else {
                throw invalid(display, "cannot annotate \(type) with logical type \(annotation)")
            }
            physical = type
            logical = annotation
            elements.append(
                ParquetSchemaElement(leaf: name, repetition: repetition, physical: type, logical: annotation))
            columns.append(ParquetColumnDescriptor(
                path: names, physical: type, logical: annotation, maxDefinitionLevel: definedLevel,
                maxRepetitionLevel: repeatLevel))
            kind = .leaf
        case .group(let name, _, let fields):
            guard !fields.isEmpty else { throw invalid(display, "is a group without fields") }
            elements.append(ParquetSchemaElement(group: name, repetition: repetition, childCount: fields.count,
                                                 isList: false))
            let inner = Parent(definitionLevel: definedLevel, repetitionLevel: repeatLevel, names: names,
                               displayPath: childDisplay, depth: parent.depth + 1)
            kind = .group
            children = try addFields(fields, parent: inner)
        case .list(let name, _, let element):
            guard repetition != .repeated else { throw invalid(display, "is a LIST and cannot be repeated") }
            guard element.repetition != .repeated else {
                throw invalid(display + "[]", "is a list element and must be required or optional")
            }
            elements.append(ParquetSchemaElement(group: name, repetition: repetition, childCount: 1, isList: true))
            elements.append(ParquetSchemaElement(group: "list", repetition: .repeated, childCount: 1, isList: false))
            let inner = Parent(definitionLevel: definedLevel + 1, repetitionLevel: repeatLevel + 1,
                               names: names + ["list"], displayPath: display + "[]", depth: parent.depth + 2)
            let renamed = Self.renamed(element, to: "element")
            kind = .list
            children = [try addField(renamed, parent: inner, display: display + "[]")]
        }
        let childRun = childIndices.count..<(childIndices.count + children.count)
        childIndices.append(contentsOf: children)
        nodes[nodeIndex] = ShredNode(
            kind: kind, repetition: repetition, definedLevel: definedLevel,
            repeatLevel: kind == .list ? repeatLevel + 1 : repeatLevel, columns: firstColumn..<columns.count,
            children: childRun, physical: physical, logical: logical)
        return nodeIndex
    }

    /// Whether a logical type may annotate a physical type.
    private static func fits(_ logical: ParquetLogicalType, _ physical: ParquetPhysicalType) -> Bool {
        switch logical {
        case .none: true
        case .string, .json: physical == .byteArray
        case .timestampMillis, .int64: physical == .int64
        case .int8, .int16, .int32: physical == .int32
        }
    }

    /// The same field under another name.
    private static func renamed(_ field: ParquetField, to name: String) -> ParquetField {
        switch field {
        case .primitive(_, let repetition, let type, let logical):
            .primitive(name: name, repetition: repetition, type: type, logical: logical)
        case .group(_, let repetition, let fields): .group(name: name, repetition: repetition, fields: fields)
        case .list(_, let repetition, let element): .list(name: name, repetition: repetition, element: element)
        }
    }

    /// Joins a parent path and a name with a dot.
    private static func join(_ parent: String, _ name: String) -> String {
        parent.isEmpty ? name : parent + "." + name
    }

    /// An ``ParquetError/Code/invalidSchema`` error about a field.
    private func invalid(_ path: String, _ problem: String) -> ParquetError {
        ParquetError(code: .invalidSchema, message: "field \(path) \(problem)")
    }
}
