import Testing

@testable import Parquet

/// Schema validation, the footer's schema tree and the levels the shredder assigns.
@Suite struct ParquetSchemaTests {
    /// Expects schema validation to fail with a message naming `path`.
    private func expectInvalid(_ fields: [ParquetField], naming path: String) {
        do {
            _ = try ParquetSchema(fields: fields)
            Issue.record("schema accepted, expected a refusal naming \(path)")
        } catch {
            #expect(error.code == .invalidSchema)
            #expect(error.message.contains(path), "\(error.message)")
        }
    }

    @Test func invalidSchemasAreRefusedNamingTheField() {
        let text = SampleData.string("s")
        #expect(throws: ParquetError.self) { try ParquetSchema(fields: []) }
        expectInvalid([text, text], naming: "s")
        expectInvalid([.group(name: "g", repetition: .optional, fields: [])], naming: "g")
        expectInvalid([.group(name: "g", repetition: .optional, fields: [SampleData.string("")])], naming: "g.<empty>")
        expectInvalid([.list(name: "l", repetition: .repeated, element: text)], naming: "l")
        expectInvalid([.list(name: "l", repetition: .optional, element: SampleData.string("e", .repeated))],
                      naming: "l[]")
        expectInvalid([.primitive(name: "n", repetition: .required, type: .int32, logical: .string)], naming: "n")
        expectInvalid([.primitive(name: "t", repetition: .required, type: .int32, logical: .timestampMillis)],
                      naming: "t")
        expectInvalid([.primitive(name: "b", repetition: .required, type: .int64, logical: .int8)], naming: "b")
        expectInvalid([.primitive(name: "j", repetition: .required, type: .double, logical: .json)], naming: "j")
        var deep = SampleData.string("leaf")
        for level in 0..<120 { deep = .group(name: "g\(level)", repetition: .optional, fields: [deep]) }
        expectInvalid([deep], naming: "g119")
    }

    @Test func schemaTreeChildCountsMatchTheElements() throws {
        let schema = try ParquetSchema(fields: SampleData.fields)
        // Walk the depth-first list: every group's num_children must consume exactly its descendants.
        var position = 0
        func consume() -> Bool {
            guard position < schema.elements.count else { return false }
            let element = schema.elements[position]
            position += 1
            for _ in 0..<(element.childCount ?? 0) where !consume() { return false }
            return true
        }
        #expect(consume())
        #expect(position == schema.elements.count)
        #expect(schema.elements[0].name == "schema" && schema.elements[0].childCount == SampleData.fields.count)
        #expect(schema.elements[0].repetition == nil)
        #expect(schema.elements.dropFirst().allSatisfy { $0.repetition != nil })
    }

    @Test func listsAreThreeLevelWithElementNamedElement() throws {
        let schema = try ParquetSchema(fields: [
            .list(name: "tags", repetition: .optional, element: SampleData.string("whatever")),
        ])
        let shape = schema.elements.map { "\($0.name):\(String(describing: $0.repetition)):\($0.childCount ?? -1)" }
        #expect(shape == ["schema:nil:1", "tags:Optional(Parquet.ParquetRepetition.optional):1",
                          "list:Optional(Parquet.ParquetRepetition.repeated):1",
                          "element:Optional(Parquet.ParquetRepetition.optional):-1"])
        #expect(schema.elements[1].converted == .list)
        #expect(schema.columnPaths == ["tags.list.element"])
        #expect(schema.columns[0].maxDefinitionLevel == 3)
        #expect(schema.columns[0].maxRepetitionLevel == 1)
    }

    @Test func levelsFollowTheResearchExample() throws {
        // security-lake-ocsf-parquet.md §3.4: optional list of optional struct {framework_id, similarity}.
        let fields: [ParquetField] = [
            .list(name: "secberus_compliance", repetition: .optional, element: .group(
                name: "element", repetition: .optional, fields: [
                    SampleData.string("framework_id"),
                    .primitive(name: "similarity", repetition: .optional, type: .double, logical: .none),
                ])),
        ]
        let schema = try ParquetSchema(fields: fields)
        #expect(schema.columns.map(\.maxDefinitionLevel) == [4, 4])
        #expect(schema.columns.map(\.maxRepetitionLevel) == [1, 1])
        #expect(schema.columnPaths == ["secberus_compliance.list.element.framework_id",
                                       "secberus_compliance.list.element.similarity"])
        let writer = ParquetFileWriter(schema: schema)
        try writer.append(row: [.null])
        try writer.append(row: [.list([])])
        try writer.append(row: [.list([.group([.string("a"), .double(0.8)]), .group([.string("b"), .null])])])
        try writer.append(row: [.list([.null])])
        let framework = writer.columnWriters[0]
        let similarity = writer.columnWriters[1]
        #expect(framework.repetitionLevels == [0, 0, 0, 1, 0])
        #expect(framework.definitionLevels == [0, 1, 4, 4, 2])
        #expect(similarity.repetitionLevels == [0, 0, 0, 1, 0])
        #expect(similarity.definitionLevels == [0, 1, 4, 3, 2])
        #expect(similarity.doubles == [0.8])
        #expect(framework.valueCount == 2 && framework.levelCount == 5)
    }

    @Test func requiredColumnsStoreNoLevels() throws {
        let schema = try ParquetSchema(fields: [
            .primitive(name: "n", repetition: .required, type: .int64, logical: .none),
            .group(name: "g", repetition: .required, fields: [SampleData.string("s", .required)]),
            .primitive(name: "r", repetition: .repeated, type: .int32, logical: .none),
        ])
        #expect(schema.columns.map(\.maxDefinitionLevel) == [0, 0, 1])
        #expect(schema.columns.map(\.maxRepetitionLevel) == [0, 0, 1])
        let writer = ParquetFileWriter(schema: schema)
        try writer.append(row: [.int64(1), .group([.string("x")]), .list([.int32(1), .int32(2)])])
        try writer.append(row: [.int64(2), .group([.string("y")]), .list([])])
        #expect(writer.columnWriters[0].definitionLevels.isEmpty && writer.columnWriters[0].levelCount == 2)
        #expect(writer.columnWriters[1].repetitionLevels.isEmpty && writer.columnWriters[1].levelCount == 2)
        #expect(writer.columnWriters[2].repetitionLevels == [0, 1, 0])
        #expect(writer.columnWriters[2].definitionLevels == [1, 1, 0])
    }
}
