import AWSCredentialChain
// Measures S3Sink upload throughput against an S3 endpoint (run by scripts/s3_throughput.py against moto).
//
// usage: S3Bench --endpoint URL --bucket NAME --size BYTES --count N [--parallel N] [--region R]
// Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Prints one JSON line:
// {"objects":N,"bytes":B,"seconds":S}.
import Foundation
import S3
import Sink

var options: [String: String] = ["--parallel": "8", "--region": "us-east-1"]
var arguments = CommandLine.arguments.dropFirst()
while let name = arguments.popFirst() {
    guard let value = arguments.popFirst() else {
        FileHandle.standardError.write(Data("S3Bench: \(name) needs a value\n".utf8))
        exit(2)
    }
    options[name] = value
}
guard let endpoint = options["--endpoint"], let bucket = options["--bucket"],
    let size = options["--size"].flatMap({ Int($0) }), let count = options["--count"].flatMap({ Int($0) }),
    let parallel = options["--parallel"].flatMap({ Int($0) }), let region = options["--region"]
else {
    FileHandle.standardError.write(
        Data("usage: S3Bench --endpoint URL --bucket NAME --size BYTES --count N [--parallel N] [--region R]\n".utf8)
    )
    exit(2)
}

var configuration = S3Client.Configuration(region: region)
configuration.endpoint = endpoint
configuration.maxIdleConnections = parallel
let credentials = DefaultCredentialChain()
do {
    let client = try S3Client(configuration: configuration, credentials: credentials)
    let sink = S3Sink(client: client, bucket: bucket, prefix: "bench-swift", maxParallelUploads: parallel)
    var generator = SystemRandomNumberGenerator()
    let objects = (0..<count).map { index in
        SinkObject(
            key: "\(size)/object-\(index).bin",
            body: (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
        )
    }
    try sink.put(Array(objects.prefix(parallel)))
    let started = ContinuousClock.now
    try sink.put(objects)
    let elapsed = ContinuousClock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(
        #"{"objects":\#(count),"bytes":\#(count * size),"seconds":\#(seconds),"retries":\#(client.statistics.retries)}"#
    )
} catch {
    FileHandle.standardError.write(Data("S3Bench: \(error)\n".utf8))
    exit(1)
}
