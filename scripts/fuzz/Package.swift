// swift-tools-version: 6.1
import PackageDescription

/// libFuzzer harnesses for Lakemark's parsers, codecs and splicer. A separate package so that the product's
/// build never sees `-sanitize=fuzzer`; `scripts/fuzz.sh` builds it with `-sanitize=fuzzer,address`.
let parsers: Target.Dependency = .product(name: "LakemarkParsers", package: "lakemark")

let harnesses = [
    "FuzzHTTPHead", "FuzzFirehoseBody", "FuzzJSONSplice", "FuzzGzip", "FuzzBase64", "FuzzCloudWatch",
]

let package = Package(
    name: "lakemark-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "lakemark", path: "../..")],
    targets: [
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
    ] + harnesses.map { name in
        .executableTarget(name: name, dependencies: [parsers, "FuzzSupport"], path: "Sources/\(name)")
    } + [
        .executableTarget(name: "KeyTiming", dependencies: [parsers], path: "Sources/KeyTiming"),
    ]
)
