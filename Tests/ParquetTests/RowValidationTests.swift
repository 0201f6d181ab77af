import Testing

@testable import Parquet

/// Rows that do not match the schema are refused with the column path, and leave nothing behind.
@Suite struct RowValidationTests {
    /// A writer for the sample schema.
    private func makeWriter() throws -> ParquetFileWriter {
        ParquetFileWriter(schema: try ParquetSchema(fields: SampleData.fields))
    }

    /// Expects a row to be refused with `code` and a message containing `path`.
    private func expectRefused(
        _ writer: ParquetFileWriter, _ row: [ParquetValue], _ code: ParquetError.Code, naming path: String
    ) {
        do {
            try writer.append(row: row)
            Issue.record("row accepted, expected \(code) naming \(path)")
        } catch {
            #expect(error.code == code, "\(error)")
            #expect(error.message.contains(path), "\(error.message)")
        }
    }

    /// A valid sample row with one top-level value replaced.
    private func row(replacing index: Int, with value: ParquetValue) -> [ParquetValue] {
        var random = SampleData.Generator(state: 99)
        var row = SampleData.row(1, &random)
        row[index] = value
        return row
    }

    @Test func mismatchedRowsAreRefusedNamingTheColumnPath() throws {
        let writer = try makeWriter()
        expectRefused(writer, [.int64(1)], .fieldCountMismatch, naming: "20 fields")
        expectRefused(writer, row(replacing: 11, with: .null), .missingRequiredValue, naming: "class_name")
        expectRefused(writer, row(replacing: 1, with: .string("2024")), .typeMismatch, naming: "time")
        expectRefused(writer, row(replacing: 15, with: .list([])), .typeMismatch, naming: "metadata")
        expectRefused(writer, row(replacing: 15, with: .group([.null])), .fieldCountMismatch, naming: "metadata")
        expectRefused(writer, row(replacing: 15, with: .group([.group([.null, .null]), .null])),
                      .missingRequiredValue, naming: "metadata.product.version")
        expectRefused(writer, row(replacing: 3, with: .int32(128)), .valueOutOfRange, naming: "tiny")
        expectRefused(writer, row(replacing: 4, with: .int32(-32_769)), .valueOutOfRange, naming: "short")
        expectRefused(writer, row(replacing: 14, with: .group([])), .typeMismatch, naming: "types")
        expectRefused(writer, row(replacing: 14, with: .list([.int32(1)])), .typeMismatch, naming: "types[]")
        expectRefused(writer, row(replacing: 17, with: .null), .missingRequiredValue, naming: "counts")
        expectRefused(writer, row(replacing: 17, with: .list([.null])), .missingRequiredValue, naming: "counts[]")
        expectRefused(writer, row(replacing: 18, with: .int32(1)), .typeMismatch, naming: "ports")
        expectRefused(writer, row(replacing: 18, with: .list([.null])), .missingRequiredValue, naming: "ports")
        let observable: ParquetValue = .group([.int64(1), .null, .null])
        let finding: ParquetValue = .group([.null, .null, .list([observable]), .group([.null])])
        expectRefused(writer, row(replacing: 16, with: .list([finding])), .typeMismatch,
                      naming: "findings[].observables[].name")
        let interface: ParquetValue = .list([.null])
        expectRefused(writer, row(replacing: 19, with: .group([interface])), .missingRequiredValue,
                      naming: "device.interfaces[]")
        #expect(writer.rowCount == 0)
        #expect(writer.columnWriters.allSatisfy { $0.levelCount == 0 && $0.valueCount == 0 })
    }

    @Test func widenedValuesAreAccepted() throws {
        let writer = try makeWriter()
        var good = row(replacing: 0, with: .int32(5))
        good[9] = .float(0.5)
        try writer.append(row: good)
        #expect(writer.columnWriters[0].int64s == [5])
        #expect(writer.columnWriters[9].doubles == [0.5])
    }

    @Test func refusedRowsLeaveNoTraceInTheFile() throws {
        guard ParquetReadBack.readersAvailable else {
            print(ParquetReadBack.skipMessage)
            return
        }
        let writer = try makeWriter()
        let rows = SampleData.rows(20)
        for (index, row) in rows.enumerated() {
            try writer.append(row: row)
            // A row that fails deep inside a list after earlier columns were seen as valid.
            var bad = row
            bad[16] = .list([.group([.null, .null, .list([.group([.null, .null, .null])]), .group([.null])])])
            if index % 3 == 0 { #expect(throws: ParquetError.self) { try writer.append(row: bad) } }
        }
        let file = try writer.finish()
        let read = try ParquetReadBack.read(file)
        RoundTripTests.expectRows(read, SampleData.fields, rows)
    }

    @Test func aFinishedWriterRefusesMore() throws {
        let writer = try makeWriter()
        _ = try writer.finish()
        #expect(throws: ParquetError.self) { try writer.finish() }
        do {
            try writer.append(row: SampleData.rows(1)[0])
            Issue.record("append after finish accepted")
        } catch {
            #expect(error.code == .alreadyFinished)
        }
    }
}
