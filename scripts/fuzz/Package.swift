// swift-tools-version: 6.1
import PackageDescription

/// libFuzzer harnesses for Lakemark's parsers, codecs and splicer. A separate package so that the product's
/// build never sees `-sanitize=fuzzer`; `scripts/fuzz.sh` builds it with `-sanitize=fuzzer,address`.
let parsers: Target.Dependency = .product(name: "LakemarkParsers", package: "lakemark")

let package = Package(
    name: "lakemark-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "lakemark", path: "../..")],
    targets: [
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
        .executableTarget(name: "FuzzHTTPHead", dependencies: [parsers, "FuzzSupport"], path: "Sources/FuzzHTTPHead"),
        .executableTarget(name: "FuzzFirehoseBody", dependencies: [parsers, "FuzzSupport"], path: "Sources/FuzzFirehoseBody"),
        .executableTarget(name: "FuzzJSONSplice", dependencies: [parsers, "FuzzSupport"], path: "Sources/FuzzJSONSplice"),
        .executableTarget(name: "FuzzGzip", dependencies: [parsers, "FuzzSupport"], path: "Sources/FuzzGzip"),
        .executableTarget(name: "FuzzBase64", dependencies: [parsers, "FuzzSupport"], path: "Sources/FuzzBase64"),
        .executableTarget(name: "FuzzCloudWatch", dependencies: [parsers, "FuzzSupport"], path: "Sources/FuzzCloudWatch"),
        .executableTarget(name: "KeyTiming", dependencies: [parsers], path: "Sources/KeyTiming"),
    ]
)
