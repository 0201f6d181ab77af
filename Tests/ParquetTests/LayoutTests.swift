import Foundation
import Parquet
import Testing

/// Pages, row groups, dictionary fallback, statistics and the schema as pyarrow and DuckDB see them.
@Suite struct LayoutTests {
    /// Reads a file written from rows, or returns `nil` (after printing why) when the readers are missing.
    private func readBack(
        _ fields: [ParquetField], _ rows: [[ParquetValue]], _ options: ParquetWriterOptions
    ) throws -> [String: Any]? {
        guard ParquetReadBack.readersAvailable else {
            print(ParquetReadBack.skipMessage)
            return nil
        }
        let read = try ParquetReadBack.read(try RoundTripTests.write(fields, rows, options))
        RoundTripTests.expectRows(read, fields, rows)
        RoundTripTests.expectConsistentPages(read, pageLimit: max(options.dataPageSize, 1024))
        return read
    }

    /// The footer facts.
    private func footer(_ read: [String: Any]) -> [String: Any] {
        read["parquet"] as? [String: Any] ?? [:]
    }

    @Test func smallLimitsMakeManyPagesAndRowGroups() throws {
        var options = ParquetWriterOptions()
        options.dataPageSize = 2048
        options.rowGroupSize = 48 * 1024
        let rows = SampleData.rows(3000, seed: 11)
        guard let read = try readBack(SampleData.fields, rows, options) else { return }
        let groups = footer(read)["row_groups"] as? [[String: Any]] ?? []
        #expect(groups.count > 2)
        #expect(groups.reduce(0) { $0 + ($1["num_rows"] as? Int ?? 0) } == rows.count)
        let chunks = RoundTripTests.chunks(read)
        let maxDataPages = chunks.joined().map { chunk in
            (chunk["pages"] as? [[String: Any]] ?? []).filter { $0["type"] as? Int == 0 }.count
        }.max() ?? 0
        #expect(maxDataPages > 3)

        // Statistics per row group against the rows of that group.
        var start = 0
        for (group, columns) in zip(groups, chunks) {
            let count = group["num_rows"] as? Int ?? 0
            let slice = rows[start..<(start + count)]
            start += count
            let byPath = Dictionary(uniqueKeysWithValues: columns.map { ($0["path"] as? String ?? "", $0) })
            let times = slice.compactMap { row -> Int64? in if case .int64(let t) = row[1] { t } else { nil } }
            let timeStatistics = byPath["time"]?["statistics"] as? [String: Any]
            #expect(timeStatistics?["min"] as? Int == Int(times.min()!))
            #expect(timeStatistics?["max"] as? Int == Int(times.max()!))
            #expect(timeStatistics?["null_count"] as? Int == 0)
            let messages = slice.compactMap { row -> [UInt8]? in if case .bytes(let b) = row[10] { b } else { nil } }
            let messageStatistics = byPath["message"]?["statistics"] as? [String: Any]
            let smallest = messages.min { $0.lexicographicallyPrecedes($1) }!
            let largest = messages.max { $0.lexicographicallyPrecedes($1) }!
            #expect(messageStatistics?["min"] as? String == String(decoding: smallest, as: UTF8.self))
            #expect(messageStatistics?["max"] as? String == String(decoding: largest, as: UTF8.self))
            #expect(messageStatistics?["null_count"] as? Int == count - messages.count)
            let scores = slice.compactMap { row -> Double? in
                if case .double(let d) = row[9], !d.isNaN { d } else { nil }
            }
            let scoreStatistics = byPath["score"]?["statistics"] as? [String: Any]
            let lowest = scores.min()! == 0 ? -0.0 : scores.min()!
            let highest = scores.max()! == 0 ? 0.0 : scores.max()!
            #expect(scoreStatistics?["min"] as? String == ExpectedRows.floating(lowest) as? String)
            #expect(scoreStatistics?["max"] as? String == ExpectedRows.floating(highest) as? String)
        }
    }

    @Test func dictionariesFallBackToPlainWhenTooBigAndAreDroppedWhenValuesAreDistinct() throws {
        var options = ParquetWriterOptions()
        options.dataPageSize = 16 * 1024
        let fields: [ParquetField] = [
            SampleData.string("text"), SampleData.string("repeated"), SampleData.string("distinct"),
        ]
        let rows: [[ParquetValue]] = (0..<2000).map { index in
            let text = String(repeating: "\(index / 3 % 977)-", count: 40)
            return [
                index % 13 == 0 ? .null : .string(text), .string(["a", "b", "c"][index % 3]),
                .string("id-\(index)-\(String(repeating: "z", count: index % 50))"),
            ]
        }
        guard let read = try readBack(fields, rows, options) else { return }
        let chunks = Array(RoundTripTests.chunks(read).joined())
        func dataPages(_ chunk: [String: Any]) -> [[String: Any]] {
            (chunk["pages"] as? [[String: Any]] ?? []).filter { $0["type"] as? Int == 0 }
        }
        // Repeating values whose dictionary outgrows the page size: dictionary pages first, then PLAIN.
        let text = chunks[0]
        #expect(text["has_dictionary_page"] as? Bool == true)
        #expect(dataPages(text).first?["encoding"] as? Int == 2)
        #expect(dataPages(text).last?["encoding"] as? Int == 0)
        #expect(Set(text["encodings"] as? [String] ?? []).isSuperset(of: ["PLAIN", "PLAIN_DICTIONARY"]))
        // Few distinct values: dictionary all the way.
        let repeated = chunks[1]
        #expect(repeated["has_dictionary_page"] as? Bool == true)
        #expect(dataPages(repeated).allSatisfy { $0["encoding"] as? Int == 2 })
        // Every value distinct: the dictionary is dropped before any page uses it.
        let distinct = chunks[2]
        #expect(distinct["has_dictionary_page"] as? Bool == false)
        #expect(dataPages(distinct).allSatisfy { $0["encoding"] as? Int == 0 })
    }

    @Test func logicalTypesAndFooterFieldsAreWhatReadersExpect() throws {
        var options = ParquetWriterOptions()
        options.keyValueMetadata = [("lakemark.schema", "detection_finding@1.1.0"), ("note", "ünïcode")]
        guard let read = try readBack(SampleData.fields, SampleData.rows(10), options) else { return }
        let facts = footer(read)
        #expect(facts["created_by"] as? String == ParquetWriterOptions.defaultCreatedBy)
        #expect(facts["metadata"] as? [String: String] == ["lakemark.schema": "detection_finding@1.1.0",
                                                           "note": "ünïcode"])
        let schema = Dictionary(uniqueKeysWithValues: (facts["schema"] as? [[String: Any]] ?? []).map {
            ($0["path"] as? String ?? "", $0)
        })
        func logical(_ path: String) -> String? { schema[path]?["logical_type"] as? String }
        func converted(_ path: String) -> String? { schema[path]?["converted_type"] as? String }
        #expect(logical("time")?.hasPrefix("Timestamp(isAdjustedToUTC=true, timeUnit=milliseconds") == true)
        #expect(converted("time") == "TIMESTAMP_MILLIS")
        #expect(logical("message") == "String" && converted("message") == "UTF8")
        #expect(logical("unmapped") == "String" && converted("unmapped") == "UTF8")
        #expect(logical("tiny") == "Int(bitWidth=8, isSigned=true)" && converted("tiny") == "INT_8")
        #expect(logical("short") == "Int(bitWidth=16, isSigned=true)" && converted("short") == "INT_16")
        #expect(logical("id") == "Int(bitWidth=64, isSigned=true)" && converted("id") == "INT_64")
        #expect(logical("plain_long") == "None" && converted("plain_long") == "NONE")
        #expect(logical("blob") == "None")
        #expect(schema["findings.list.element.observables.list.element.reputation.score"]?["max_definition_level"]
                    as? Int == 8)
        #expect(schema["findings.list.element.observables.list.element.name"]?["max_repetition_level"] as? Int == 2)

        let arrow = Dictionary(uniqueKeysWithValues: ((read["pyarrow"] as? [String: Any])?["schema"]
            as? [[String: String]] ?? []).map { ($0["name"] ?? "", $0["type"] ?? "") })
        #expect(arrow["time"] == "timestamp[ms, tz=UTC]")
        #expect(arrow["message"] == "string")
        #expect(arrow["tiny"] == "int8")
        #expect(arrow["ratio"] == "float")
        #expect(arrow["blob"] == "binary")
        #expect(arrow["types"] == "list<element: string>")
        #expect(arrow["counts"] == "list<element: int64 not null>")
        #expect(arrow["ports"] == "list<ports: int32 not null>")
        #expect(arrow["findings"]?.hasPrefix("list<element: struct<title: string, severity_id: int32,") == true)

        let duckdb = (read["duckdb"] as? [String: Any])?["types"] as? [String: String] ?? [:]
        #expect(duckdb["time"] == "TIMESTAMP WITH TIME ZONE")
        #expect(duckdb["tiny"] == "TINYINT")
        #expect(duckdb["message"] == "VARCHAR")
        #expect(duckdb["types"] == "VARCHAR[]")
        #expect(duckdb["metadata"] == "STRUCT(product STRUCT(\"name\" VARCHAR, \"version\" VARCHAR), uid VARCHAR)")
    }

    @Test func floatingPointBoundsSkipNaNAndOrderSignedZeros() throws {
        let fields: [ParquetField] = [
            .primitive(name: "nan", repetition: .optional, type: .double, logical: .none),
            .primitive(name: "zeros", repetition: .optional, type: .float, logical: .none),
            .primitive(name: "flag", repetition: .required, type: .boolean, logical: .none),
        ]
        let rows: [[ParquetValue]] = [
            [.double(.nan), .float(0.0), .bool(true)], [.null, .float(-0.0), .bool(true)],
            [.double(.nan), .null, .bool(true)],
        ]
        guard let read = try readBack(fields, rows, ParquetWriterOptions()) else { return }
        let chunks = Array(RoundTripTests.chunks(read).joined())
        let nan = chunks[0]["statistics"] as? [String: Any]
        #expect(nan?["min"] is NSNull && nan?["max"] is NSNull)
        #expect(nan?["null_count"] as? Int == 1)
        let zeros = chunks[1]["statistics"] as? [String: Any]
        #expect(zeros?["min"] as? String == "f:-0.0")
        #expect(zeros?["max"] as? String == "f:0.0")
        let flag = chunks[2]["statistics"] as? [String: Any]
        #expect(flag?["min"] as? Bool == true && flag?["max"] as? Bool == true)
    }

    @Test func aFileWithoutRowsIsReadable() throws {
        guard let read = try readBack(SampleData.fields, [], ParquetWriterOptions()) else { return }
        #expect(footer(read)["num_rows"] as? Int == 0)
    }

    @Test func aRowLargerThanAPageGetsAPageOfItsOwn() throws {
        var options = ParquetWriterOptions()
        options.dataPageSize = 1024
        options.dictionary = false
        let rows: [[ParquetValue]] = [
            [.string("small")], [.string(String(repeating: "x", count: 5000))], [.string("after")], [.null],
        ]
        guard ParquetReadBack.readersAvailable else {
            print(ParquetReadBack.skipMessage)
            return
        }
        let fields = [SampleData.string("text")]
        let read = try ParquetReadBack.read(try RoundTripTests.write(fields, rows, options))
        RoundTripTests.expectRows(read, fields, rows)
        let pages = (RoundTripTests.chunks(read).first?.first?["pages"] as? [[String: Any]] ?? [])
        #expect(pages.map { $0["num_values"] as? Int ?? -1 } == [1, 1, 2])
        // Only the page holding the long value has a truncated (inexact) maximum; its minimum is the value's prefix.
        #expect(pages.map { $0["max_exact"] as? Bool } == [true, false, true])
        #expect(pages.map { $0["min_exact"] as? Bool } == [true, false, true])
        let statistics = RoundTripTests.chunks(read).first?.first?["statistics"] as? [String: Any]
        #expect(statistics?["min"] as? String == "after")
        // The 5000-byte maximum is kept as a 64-byte upper bound: 63 "x" and a "y".
        #expect(statistics?["max"] as? String == String(repeating: "x", count: 63) + "y")
    }
}
