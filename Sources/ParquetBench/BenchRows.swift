import Parquet

/// Deterministic rows for ``BenchSchema``, with the cardinalities of a real stream: a few classes, accounts and
/// regions, a few hundred finding titles, unique ids, random addresses and varied compliance lists.
struct BenchRows {
    /// SplitMix64 state.
    private var state: UInt64

    /// Creates a generator.
    /// - Parameter seed: The seed.
    init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    private mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// A random lowercase hexadecimal id of `length` characters.
    private mutating func hex(_ length: Int) -> ParquetValue {
        let digits = Array("0123456789abcdef".utf8)
        return .bytes((0..<length).map { _ in digits[below(16)] })
    }

    /// One of `choices`.
    private mutating func pick(_ choices: [String]) -> ParquetValue { .string(choices[below(choices.count)]) }

    /// The regions of the stream.
    private static let regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"]
    /// Finding title templates.
    private static let titles = (0..<300).map { "Security control check \($0): resource is not compliant with policy" }
    /// Frameworks and their control id prefixes.
    private static let frameworks = [("pci_dss_v4", "8.4."), ("nist_800_53_r5", "IA-2("), ("nist_csf_v2", "PR.AA-0"),
                                     ("iso_27001_2022", "A.5."), ("soc2", "CC6.")]

    /// The row for index `index`.
    mutating func row(_ index: Int) -> [ParquetValue] {
        let time = Int64(1_717_200_000_000 + index * 37 + below(1000))
        let severity = Int32(below(6))
        let account = String(100_000_000_000 + below(20) * 7_919)
        let titleIndex = below(Self.titles.count)
        let resources: ParquetValue = .list((0..<(1 + below(3))).map { _ in
            .group([
                .string("arn:aws:s3:::bucket-\(below(500))"), pick(["AwsS3Bucket", "AwsEc2Instance", "AwsIamRole"]),
                pick(Self.regions), below(4) == 0 ? .null : .string("resource-\(below(10_000))"),
                below(2) == 0 ? .null : .list((0..<below(4)).map { _ in pick(["prod", "pci", "team:sec", "dev"]) }),
            ])
        })
        let observables: ParquetValue = below(3) == 0 ? .null : .list((0..<(1 + below(3))).map { _ in
            .group([pick(["src_endpoint.ip", "actor.user.name", "resource.uid"]), .int32(Int32(below(30))),
                    .string("value-\(below(100_000))")])
        })
        let compliance: ParquetValue = below(10) == 0 ? .null : .list((0..<below(6)).map { rank in
            let framework = Self.frameworks[below(Self.frameworks.count)]
            return .group([
                .string(framework.0), .string("\(framework.1)\(1 + below(9))"), pick(["Access Control", "Audit"]),
                .double(Double(900 - rank * 80 - below(50)) / 1000), .double(Double(below(4)) / 3),
            ])
        })
        return [
            .int64(time), .int32(2004), .int32(2), .int64(200_401), .int32(1), .int32(severity), .int32(1),
            .string("Detection Finding"), .string("Findings"), .string("Create"),
            .string(["Unknown", "Informational", "Low", "Medium", "High", "Critical"][Int(severity)]),
            .string("New"),
            .string("\(Self.titles[titleIndex]) (finding \(below(1_000_000)))"),
            .group([.string("1.1.0"), hex(32), .group([.string("Security Hub"), .string("AWS"), .string("2.0")]),
                    .int64(time + Int64(below(60_000)))]),
            .group([.string("AWS"), pick(Self.regions), .group([.string(account), pick(["prod", "staging", "dev"])])]),
            .group([hex(36), .string(Self.titles[titleIndex]),
                    below(2) == 0 ? .null : .string("Description \(below(900))"),
                    .list([.string("Software and Configuration Checks"), pick(["Industry and Regulatory", "AWS"])]),
                    .int64(time - Int64(below(86_400_000)))]),
            resources, observables,
            below(2) == 0 ? .null : .group([
                .string("10.\(below(256)).\(below(256)).\(below(256))"), .int32(Int32(below(65_536))),
                .string("host-\(below(2000)).internal"),
            ]),
            below(4) == 0 ? .null : .string(
                #"{"ProductFields":{"aws/securityhub/ProductName":"Security Hub","RecordState":"ACTIVE","n":"#
                    + "\(below(1000))}}"),
            compliance,
        ]
    }
}
