import Parquet
import Testing

/// Random schemas (nesting up to four levels of groups, lists and repeated fields) with random rows, read back with
/// pyarrow and DuckDB: the shredder against independent readers on shapes nobody wrote by hand.
@Suite struct RandomShapeTests {
    /// A random field named `name`.
    private static func field(_ name: String, depth: Int, _ random: inout SampleData.Generator) -> ParquetField {
        let repetitions: [ParquetRepetition] = [.required, .optional, .optional, .repeated]
        let repetition = repetitions[random.below(repetitions.count)]
        let choice = depth >= 4 ? 0 : random.below(10)
        switch choice {
        case 0..<6:
            let leaves: [(ParquetPhysicalType, ParquetLogicalType)] = [
                (.boolean, .none), (.int32, .int16), (.int64, .timestampMillis), (.float, .none), (.double, .none),
                (.byteArray, .string), (.byteArray, .none), (.int32, .none),
            ]
            let leaf = leaves[random.below(leaves.count)]
            return .primitive(name: name, repetition: repetition, type: leaf.0, logical: leaf.1)
        case 6..<8:
            // A bare repeated group of one field is left out: DuckDB 2.0 reads it with the legacy two-level list
            // rules (as a list of that field) where pyarrow, like the spec for unannotated groups, sees structs.
            let count = repetition == .repeated ? 2 + random.below(2) : 1 + random.below(3)
            let fields = (0..<count).map { field("\(name)_\($0)", depth: depth + 1, &random) }
            return .group(name: name, repetition: repetition, fields: fields)
        default:
            let element = field("e", depth: depth + 1, &random)
            let elementRepetition: ParquetRepetition = random.chance(50) ? .optional : .required
            let fixed: ParquetField =
                switch element {
                case .primitive(let n, _, let t, let l):
                    .primitive(name: n, repetition: elementRepetition, type: t, logical: l)
                case .group(let n, _, let f): .group(name: n, repetition: elementRepetition, fields: f)
                case .list(let n, _, let e): .list(name: n, repetition: elementRepetition, element: e)
                }
            return .list(name: name, repetition: repetition == .repeated ? .optional : repetition, element: fixed)
        }
    }

    /// A random value for a field, honouring its repetition.
    private static func value(_ field: ParquetField, _ random: inout SampleData.Generator) -> ParquetValue {
        if field.repetition == .optional && random.chance(25) { return .null }
        if field.repetition == .repeated {
            return .list((0..<random.below(4)).map { _ in present(field, &random) })
        }
        return present(field, &random)
    }

    /// A random non-null value for a field (one element of a repeated field).
    private static func present(_ field: ParquetField, _ random: inout SampleData.Generator) -> ParquetValue {
        switch field {
        case .primitive(_, _, let type, let logical):
            switch type {
            case .boolean: return .bool(random.chance(50))
            case .int32:
                return logical == .int16
                    ? .int32(Int32(random.below(65_536)) - 32_768) : .int32(Int32(truncatingIfNeeded: random.next()))
            case .int64: return .int64(1_600_000_000_000 + Int64(random.below(1_000_000_000)))
            case .float: return .float(Float(random.below(10_000)) / 8)
            case .double: return .double(Double(Int64(truncatingIfNeeded: random.next())) / 1e6)
            case .byteArray:
                return logical == .string
                    ? .string(SampleData.words[random.below(SampleData.words.count)])
                    : .bytes((0..<random.below(5)).map { _ in UInt8(random.below(256)) })
            }
        case .group(_, _, let fields):
            return .group(fields.map { value($0, &random) })
        case .list(_, _, let element):
            return .list((0..<random.below(4)).map { _ in value(element, &random) })
        }
    }

    @Test(arguments: Array(1...8) as [UInt64])
    func randomShapesRoundTrip(seed: UInt64) throws {
        guard ParquetReadBack.readersAvailable else {
            print(ParquetReadBack.skipMessage)
            return
        }
        var random = SampleData.Generator(state: seed &* 7_919)
        let fields = (0..<(2 + random.below(5))).map { Self.field("f\($0)", depth: 0, &random) }
        let rows = (0..<(50 + random.below(200))).map { _ in fields.map { Self.value($0, &random) } }
        var options = ParquetWriterOptions()
        options.dataPageSize = 1024
        options.rowGroupSize = 8 * 1024
        options.dictionary = seed % 2 == 0
        let read = try ParquetReadBack.read(try RoundTripTests.write(fields, rows, options))
        RoundTripTests.expectRows(read, fields, rows)
        RoundTripTests.expectConsistentPages(read, pageLimit: options.dataPageSize)
    }
}
