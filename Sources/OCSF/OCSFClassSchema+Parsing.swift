extension OCSFClassSchema {
    /// Parses a generated schema file (see `scripts/generate_ocsf_schemas.py` for the format).
    /// - Parameter text: the TSV text: a `#` header line naming version, class and category, a column-name line,
    ///   then one line per attribute in pre-order.
    /// - Returns: the schema.
    /// - Throws: ``OCSFError`` with code `bad_schema` naming the line.
    public static func parse(_ text: String) throws(OCSFError) -> OCSFClassSchema {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard let header = lines.first, header.hasPrefix("# OCSF ") else {
            throw OCSFError(.badSchema, path: "", "missing the # OCSF header line")
        }
        let words = header.split(separator: " ")
        // "# OCSF <version> class <name> (<uid>); category <n>; …"
        guard words.count >= 8, words[3] == "class",
            let uid = Int(words[5].filter(\.isNumber)),
            let category = Int(words[7].filter(\.isNumber))
        else {
            throw OCSFError(.badSchema, path: "", "malformed header: \(header)")
        }
        var root = Builder(name: "", kind: .group([]), requirement: .optional, isArray: false, enumValues: [])
        var stack: [Builder] = [root]
        for (number, line) in lines.dropFirst(2).enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 5, let requirement = Requirement(rawValue: String(fields[2])) else {
                throw OCSFError(.badSchema, path: "", "line \(number + 3): expected 5 fields")
            }
            let parts = fields[0].split(separator: ".")
            let depth = parts.count
            guard depth >= 1, depth <= stack.count else {
                throw OCSFError(.badSchema, path: String(fields[0]), "line \(number + 3): parent missing")
            }
            while stack.count > depth { Self.close(&stack) }
            let kind: Builder.Kind
            if fields[1] == "group" {
                kind = .group([])
            } else if let type = OCSFColumnType(rawValue: String(fields[1])) {
                kind = .scalar(type)
            } else {
                throw OCSFError(.badSchema, path: String(fields[0]), "unknown type \(fields[1])")
            }
            let enums = Set(fields[4].split(separator: ",").compactMap { Int64($0) })
            let builder = Builder(
                name: String(parts[depth - 1]),
                kind: kind,
                requirement: requirement,
                isArray: fields[3] == "1",
                enumValues: enums
            )
            if case .group = kind {
                stack.append(builder)
            } else {
                stack[stack.count - 1].children.append(builder.attribute)
            }
        }
        while stack.count > 1 { Self.close(&stack) }
        root = stack[0]
        return OCSFClassSchema(
            classUID: uid,
            name: String(words[4]),
            categoryUID: category,
            version: String(words[2]),
            attributes: root.children
        )
    }

    /// Pops the innermost open group into its parent, dropping a group that kept no attribute.
    private static func close(_ stack: inout [Builder]) {
        let group = stack.removeLast()
        guard !group.children.isEmpty else { return }
        stack[stack.count - 1].children.append(group.attribute)
    }

    /// A requirement spelled as in the file.
    typealias Requirement = OCSFAttribute.Requirement

    /// An attribute under construction.
    private struct Builder {
        typealias Kind = OCSFAttribute.Kind
        var name: String
        var kind: Kind
        var requirement: Requirement
        var isArray: Bool
        var enumValues: Set<Int64>
        var children: [OCSFAttribute] = []

        init(name: String, kind: Kind, requirement: Requirement, isArray: Bool, enumValues: Set<Int64>) {
            self.name = name
            self.kind = kind
            self.requirement = requirement
            self.isArray = isArray
            self.enumValues = enumValues
        }

        var attribute: OCSFAttribute {
            var kind = self.kind
            if case .group = kind { kind = .group(children) }
            return OCSFAttribute(
                name: name,
                kind: kind,
                requirement: requirement,
                isArray: isArray,
                enumValues: enumValues
            )
        }
    }
}
