import Foundation
import Parquet
import Testing

/// Files written by the writer, read back with pyarrow and DuckDB: values, schema, pages and statistics.
@Suite struct RoundTripTests {
    /// Writes rows and returns the file.
    static func write(
        _ fields: [ParquetField], _ rows: [[ParquetValue]], _ options: ParquetWriterOptions
    ) throws -> [UInt8] {
        let writer = ParquetFileWriter(schema: try ParquetSchema(fields: fields), options: options)
        for row in rows { try writer.append(row: row) }
        #expect(writer.rowCount == rows.count)
        return try writer.finish()
    }

    /// Reads a file back and checks that both readers return exactly the rows.
    static func expectRows(_ read: [String: Any], _ fields: [ParquetField], _ rows: [[ParquetValue]]) {
        let expected = ExpectedRows.rows(fields, rows)
        let pyarrow = read["pyarrow"] as? [String: Any]
        let duckdb = read["duckdb"] as? [String: Any]
        let pyarrowDifference = ExpectedRows.firstDifference(pyarrow?["rows"], expected)
        #expect(pyarrowDifference == nil, "pyarrow: \(pyarrowDifference ?? "")")
        let duckdbDifference = ExpectedRows.firstDifference(duckdb?["rows"], expected)
        #expect(duckdbDifference == nil, "DuckDB: \(duckdbDifference ?? "")")
    }

    /// The column chunks of every row group, as the reader reported them.
    static func chunks(_ read: [String: Any]) -> [[[String: Any]]] {
        let parquet = read["parquet"] as? [String: Any]
        let groups = parquet?["row_groups"] as? [[String: Any]] ?? []
        return groups.map { $0["columns"] as? [[String: Any]] ?? [] }
    }

    /// Checks the page walk of every chunk: sizes add up, data pages stay within the limit, level counts add up.
    static func expectConsistentPages(_ read: [String: Any], pageLimit: Int) {
        for group in chunks(read) {
            for chunk in group {
                let path = chunk["path"] as? String ?? "?"
                let pages = chunk["pages"] as? [[String: Any]] ?? []
                #expect(chunk["walked_size"] as? Int == chunk["total_compressed_size"] as? Int, "\(path)")
                let uncompressed = pages.reduce(0) {
                    $0 + ($1["uncompressed"] as? Int ?? 0) + ($1["header"] as? Int ?? 0)
                }
                #expect(uncompressed == chunk["total_uncompressed_size"] as? Int, "\(path)")
                let dataPages = pages.filter { $0["type"] as? Int == 0 }
                let levels = dataPages.reduce(0) { $0 + ($1["num_values"] as? Int ?? 0) }
                #expect(levels == chunk["num_values"] as? Int, "\(path)")
                for page in dataPages {
                    #expect((page["uncompressed"] as? Int ?? .max) <= pageLimit, "\(path) page over the limit")
                }
                let pageNulls = dataPages.reduce(0) { $0 + ($1["null_count"] as? Int ?? 0) }
                let statistics = chunk["statistics"] as? [String: Any]
                #expect(pageNulls == statistics?["null_count"] as? Int, "\(path) page null counts")
                let dictionaryPages = pages.filter { $0["type"] as? Int == 2 }
                #expect(dictionaryPages.count == ((chunk["has_dictionary_page"] as? Bool ?? false) ? 1 : 0))
            }
        }
    }

    @Test(arguments: [
        ParquetCompression.uncompressed, .gzip(level: 6), .zstd(level: 3),
    ], [true, false])
    func everyTypeAndShapeRoundTrips(compression: ParquetCompression, dictionary: Bool) throws {
        guard ParquetReadBack.readersAvailable else {
            print(ParquetReadBack.skipMessage)
            return
        }
        var options = ParquetWriterOptions()
        options.compression = compression
        options.dictionary = dictionary
        let rows = SampleData.rows(300)
        let file = try Self.write(SampleData.fields, rows, options)
        let read = try ParquetReadBack.read(file)
        Self.expectRows(read, SampleData.fields, rows)
        Self.expectConsistentPages(read, pageLimit: options.dataPageSize)
        let codec: String =
            switch compression {
            case .uncompressed: "UNCOMPRESSED"
            case .gzip: "GZIP"
            case .zstd: "ZSTD"
            }
        for chunk in Self.chunks(read).joined() {
            #expect(chunk["compression"] as? String == codec)
            let isString = (chunk["path"] as? String).map { ["message", "class_name"].contains($0) } ?? false
            if isString {
                #expect(chunk["has_dictionary_page"] as? Bool == dictionary)
            }
        }
    }

    @Test func listsOfListsBareRepeatedGroupsAndRequiredNestingRoundTrip() throws {
        guard ParquetReadBack.readersAvailable else {
            print(ParquetReadBack.skipMessage)
            return
        }
        let fields: [ParquetField] = [
            .list(name: "matrix", repetition: .optional, element: .list(
                name: "row", repetition: .optional, element: .primitive(
                    name: "cell", repetition: .required, type: .int64, logical: .none))),
            .group(name: "pairs", repetition: .repeated, fields: [
                SampleData.string("k", .required),
                .primitive(name: "v", repetition: .optional, type: .int32, logical: .none),
            ]),
            .group(name: "holder", repetition: .required, fields: [
                .list(name: "items", repetition: .required, element: .primitive(
                    name: "x", repetition: .optional, type: .double, logical: .none)),
            ]),
        ]
        let rows: [[ParquetValue]] = [
            [.list([.list([.int64(1), .int64(2)]), .null, .list([])]), .list([]), .group([.list([])])],
            [.null, .list([.group([.string("a"), .null]), .group([.string("b"), .int32(2)])]),
             .group([.list([.null, .double(1.5)])])],
            [.list([]), .list([.group([.string(""), .int32(-1)])]), .group([.list([.double(-0.0)])])],
            [.list([.null]), .list([]), .group([.list([])])],
        ]
        for dictionary in [true, false] {
            var options = ParquetWriterOptions()
            options.dictionary = dictionary
            let read = try ParquetReadBack.read(try Self.write(fields, rows, options))
            Self.expectRows(read, fields, rows)
            Self.expectConsistentPages(read, pageLimit: options.dataPageSize)
        }
    }
}
