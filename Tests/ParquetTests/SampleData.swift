import NetworkTestSupport
import Parquet

/// A schema with every supported type and the nesting shapes the OCSF classes need, and deterministic rows for it.
enum SampleData {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct Generator {
        private var source: SplitMix64

        /// Creates a generator; the same state gives the same sequence.
        init(state: UInt64) {
            source = SplitMix64(seed: state)
        }

        /// The next 64 random bits.
        mutating func next() -> UInt64 {
            source.next()
        }

        /// A number in `0..<bound`.
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

        /// True with probability `percent` / 100.
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    /// A string leaf.
    static func string(_ name: String, _ repetition: ParquetRepetition = .optional) -> ParquetField {
        .primitive(name: name, repetition: repetition, type: .byteArray, logical: .string)
    }

    /// The schema: flat columns of every type, nested optional groups, lists of strings, lists of structs holding
    /// lists of structs with optional structs, a required list, and a bare repeated field.
    static let fields: [ParquetField] = [
        .primitive(name: "id", repetition: .required, type: .int64, logical: .int64),
        .primitive(name: "time", repetition: .required, type: .int64, logical: .timestampMillis),
        .primitive(name: "flag", repetition: .optional, type: .boolean, logical: .none),
        .primitive(name: "tiny", repetition: .optional, type: .int32, logical: .int8),
        .primitive(name: "short", repetition: .optional, type: .int32, logical: .int16),
        .primitive(name: "severity_id", repetition: .optional, type: .int32, logical: .int32),
        .primitive(name: "plain_int", repetition: .required, type: .int32, logical: .none),
        .primitive(name: "plain_long", repetition: .optional, type: .int64, logical: .none),
        .primitive(name: "ratio", repetition: .optional, type: .float, logical: .none),
        .primitive(name: "score", repetition: .optional, type: .double, logical: .none),
        string("message"),
        string("class_name", .required),
        .primitive(name: "unmapped", repetition: .optional, type: .byteArray, logical: .json),
        .primitive(name: "blob", repetition: .optional, type: .byteArray, logical: .none),
        .list(name: "types", repetition: .optional, element: string("item")),
        .group(name: "metadata", repetition: .optional, fields: [
            .group(name: "product", repetition: .optional, fields: [string("name"), string("version", .required)]),
            string("uid"),
        ]),
        .list(name: "findings", repetition: .optional, element: .group(name: "x", repetition: .optional, fields: [
            string("title"),
            .primitive(name: "severity_id", repetition: .optional, type: .int32, logical: .none),
            .list(name: "observables", repetition: .optional, element: .group(
                name: "observable", repetition: .optional, fields: [
                    string("name", .required),
                    string("value"),
                    .group(name: "reputation", repetition: .optional, fields: [
                        .primitive(name: "score", repetition: .optional, type: .double, logical: .none),
                    ]),
                ])),
            .group(name: "resource", repetition: .required, fields: [string("uid")]),
        ])),
        .list(name: "counts", repetition: .required, element: .primitive(
            name: "c", repetition: .required, type: .int64, logical: .none)),
        .primitive(name: "ports", repetition: .repeated, type: .int32, logical: .none),
        .group(name: "device", repetition: .optional, fields: [
            .list(name: "interfaces", repetition: .optional, element: .group(
                name: "interface", repetition: .required, fields: [
                    string("ip"),
                    .group(name: "owner", repetition: .optional, fields: [string("name", .required)]),
                ])),
        ]),
    ]

    /// Words for strings: ASCII, accents, CJK, emoji, an empty string, and a long value.
    static let words = [
        "alpha", "Beta", "gamma", "", "délta", "ε", "日本語", "🔒 lock", "zeta", "a\u{0}b", "ZZZ",
        String(repeating: "long-value-", count: 12),
    ]

    /// A row for index `index` (deterministic for a given generator state).
    static func row(_ index: Int, _ random: inout Generator) -> [ParquetValue] {
        func maybe(_ value: ParquetValue, nullPercent: Int = 20) -> ParquetValue {
            random.chance(nullPercent) ? .null : value
        }
        func word() -> ParquetValue { .string(words[random.below(words.count)]) }
        let floats: [Float] = [0, -0.0, 1.5, -2.25, .infinity, .nan, 3.4e38, 1e-7]
        let doubles: [Double] = [0.1, -0.0, 1e300, -1e-300, .nan, -.infinity, 42, 0.30000000000000004]
        let observables: ParquetValue = maybe(.list((0..<random.below(3)).map { _ in
            maybe(.group([
                word(), maybe(word()),
                maybe(.group([maybe(.double(doubles[random.below(doubles.count)]))])),
            ]), nullPercent: 10)
        }))
        let findings: ParquetValue = maybe(.list((0..<random.below(4)).map { _ in
            maybe(.group([
                maybe(word()), maybe(.int32(Int32(random.below(7)))), observables,
                .group([maybe(word())]),
            ]), nullPercent: 10)
        }))
        let interfaces: ParquetValue = maybe(.list((0..<random.below(3)).map { _ in
            .group([maybe(word()), maybe(.group([word()]))])
        }))
        return [
            .int64(Int64(index) * 7_919 - 50_000 + (index % 5 == 0 ? Int64.min / 2 : 0)),
            .int64(1_717_200_000_000 + Int64(random.below(86_400_000)) - (index % 11 == 0 ? 1_800_000_000_000 : 0)),
            maybe(.bool(random.chance(50))),
            maybe(.int32(Int32(random.below(256)) - 128)),
            maybe(.int32(Int32(random.below(65_536)) - 32_768)),
            maybe(.int32(Int32(truncatingIfNeeded: random.next()))),
            .int32(Int32(index)),
            maybe(.int32(Int32(random.below(1000)))),
            maybe(.float(floats[random.below(floats.count)])),
            maybe(.double(doubles[random.below(doubles.count)])),
            maybe(word()),
            .string(["Detection Finding", "API Activity", "Authentication"][random.below(3)]),
            maybe(.string(#"{"k":\#(random.below(100)),"s":"v\"q"}"#)),
            maybe(.bytes((0..<random.below(6)).map { _ in UInt8(random.below(256)) })),
            maybe(.list((0..<random.below(4)).map { _ in maybe(word()) })),
            maybe(.group([maybe(.group([maybe(word()), .string("1.1.0")])), maybe(word())])),
            findings,
            .list((0..<random.below(3)).map { _ in .int64(Int64(random.below(1_000_000)) - 500) }),
            .list((0..<random.below(3)).map { _ in .int32(Int32(random.below(65_536))) }),
            maybe(.group([interfaces])),
        ]
    }

    /// `count` rows from a fixed seed.
    static func rows(_ count: Int, seed: UInt64 = 7) -> [[ParquetValue]] {
        var random = Generator(state: seed)
        return (0..<count).map { row($0, &random) }
    }
}
