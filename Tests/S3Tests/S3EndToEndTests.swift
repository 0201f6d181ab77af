import AWSSigning
import Foundation
import HTTPClient
import JSONBytes
import NetworkTestSupport
import Pipeline
import S3
import Sender
import ServiceSupport
import Synchronization
import Testing

/// `lakemark serve` with `LAKEMARK_SINK=s3://…` against moto (every request checked by the strict verifier,
/// through the fault proxy), fed the bundled samples by `lakemark send`, compared object by object with what
/// the local-directory sink writes for the same requests.
@Suite(.serialized, .enabled(if: S3Fixtures.motoIsAvailable, "moto[server] is not installed (scripts/deps.sh test)"))
struct S3EndToEndTests {
    static let bucket = "lakemark-e2e"
    static let prefix = "lake"

    /// A running pair of services (local directory and S3) behind a fault proxy.
    struct Rig {
        let moto: MotoServer
        let proxy: FaultProxy
        let localRoot: URL
        let local: Service
        let s3: Service
        let tee: TeeTransport
        let reader: S3Client

        func shutdown() {
            self.local.shutdown()
            self.s3.shutdown()
        }
    }

    static func startRig(_ plan: @escaping FaultProxy.Plan) throws -> Rig {
        let moto = try MotoServer(buckets: [bucket], verification: .strictProxy)
        let proxy = try FaultProxy(upstreamPort: moto.endpointPort, plan: plan)
        let localRoot = FileManager.default.temporaryDirectory.appendingPathComponent("lakemark-e2e-\(UUID())")
        try FileManager.default.createDirectory(at: localRoot, withIntermediateDirectories: true)
        var localConfiguration = try ConfigurationLoader.load(path: nil, environment: [:])
        localConfiguration.listenPort = 0
        localConfiguration.sink = .directory(localRoot.path)
        localConfiguration.shutdownGraceSeconds = 5
        // The S3 service is configured the way an operator would: through environment variables.
        var s3Configuration = try ConfigurationLoader.load(
            path: nil,
            environment: [
                "LAKEMARK_LISTEN": "127.0.0.1:0", "LAKEMARK_SINK": "s3://\(bucket)/\(prefix)",
                "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL_S3": proxy.endpoint, "LAKEMARK_S3_TIMEOUT_SECONDS": "2",
                "LAKEMARK_S3_SSE": "AES256", "LAKEMARK_S3_CONTENT_MD5": "true", "LAKEMARK_S3_PARALLEL_UPLOADS": "4",
                "LAKEMARK_S3_PUT_BUDGET_SECONDS": "60", "LAKEMARK_SHUTDOWN_GRACE_SECONDS": "5",
            ]
        )
        s3Configuration.shutdownGraceSeconds = 5
        let logger = Logger(label: "test", level: .error)
        let factory = SinkFactory(environment: [
            "AWS_ACCESS_KEY_ID": moto.accessKeyID, "AWS_SECRET_ACCESS_KEY": moto.secretAccessKey,
        ])
        let local = try Service(configuration: localConfiguration, logger: logger)
        let s3 = try Service(configuration: s3Configuration, logger: logger, sinkFactory: factory)
        try local.start()
        try s3.start()
        let reader = try S3Fixtures.client(moto)
        let tee = TeeTransport(
            localPort: local.boundPort,
            localRoot: localRoot,
            reader: reader,
            bucket: bucket,
            prefix: prefix + "/"
        )
        return Rig(moto: moto, proxy: proxy, localRoot: localRoot, local: local, s3: s3, tee: tee, reader: reader)
    }

    @Test func samplesLandInS3ExactlyAsInTheLocalSinkDespiteFaults() throws {
        // First attempts of every third object fail in rotation: 500, 503 SlowDown, a delay past the 2 s
        // timeout, a reset.
        let faults: [FaultProxy.Action] = [
            .answer(status: 500, code: "InternalError"), .answer(status: 503, code: "SlowDown"),
            .delay(.milliseconds(2_500)), .reset,
        ]
        let counter = Mutex<Int>(0)
        let rig = try Self.startRig { request in
            guard request.method == "PUT", request.attempt == 1 else {
                return .forward
            }
            let index = counter.withLock { value in
                value += 1
                return value
            }
            return index % 3 == 0 ? faults[(index / 3) % faults.count] : .forward
        }
        defer { rig.shutdown() }
        let samples = S3Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/samples")
        let command = SendCommand(
            environment: [:],
            makeTransport: { _ in rig.tee },
            output: { _ in },
            errorOutput: { print($0) }
        )
        let status = command.run(arguments: [
            "--url", "http://127.0.0.1:\(rig.s3.boundPort)/", "--max-batch-mib", "1", samples.path,
        ])
        #expect(status == 0, "every request must be answered 200 by both services")
        let deliveries = rig.tee.deliveries
        #expect(deliveries.count >= 2)
        #expect(deliveries.allSatisfy { $0.localStatus == 200 && $0.s3Status == 200 })
        #expect(rig.tee.problems.isEmpty, "\(rig.tee.problems.prefix(5))")

        // The whole bucket equals the whole local directory, byte for byte.
        var expected: [String: String] = [:]
        for file in try Self.objectFiles(under: rig.localRoot) {
            let key = "\(Self.prefix)/" + String(file.path.dropFirst(rig.localRoot.path.count + 1))
            expected[key] = try S3Fixtures.sha256([UInt8](Data(contentsOf: file)))
        }
        #expect(expected.count >= deliveries.count)
        #expect(try rig.moto.objectDigests(bucket: Self.bucket) == expected)
        #expect(rig.proxy.entries.contains { $0.action == .reset })
        #expect(rig.proxy.entries.contains { $0.action == .delay(.milliseconds(2_500)) })
    }

    /// The acceptance: the whole shared sample corpus (when `../shared` is present) lands in S3 exactly
    /// once and byte-identical to the local sink's output for the same requests.
    @Test func wholeSharedCorpusLandsInS3ExactlyAsInTheLocalSink() throws {
        guard let shared = ReferenceMaterial.sharedDirectory(holding: "data/events")?.path else {
            print("SKIP: ../shared/data/events not found; the bundled-samples test covers the S3 path")
            return
        }
        let rig = try Self.startRig { _ in .forward }
        defer { rig.shutdown() }
        let command = SendCommand(
            environment: [:],
            makeTransport: { _ in rig.tee },
            output: { _ in },
            errorOutput: { print($0) }
        )
        let status = command.run(arguments: [
            "--url", "http://127.0.0.1:\(rig.s3.boundPort)/", "--max-batch-mib", "5", shared + "/data/events",
        ])
        #expect(status == 0)
        #expect(rig.tee.deliveries.allSatisfy { $0.localStatus == 200 && $0.s3Status == 200 })
        var expected: [String: String] = [:]
        for file in try Self.objectFiles(under: rig.localRoot) {
            let key = "\(Self.prefix)/" + String(file.path.dropFirst(rig.localRoot.path.count + 1))
            expected[key] = try S3Fixtures.sha256([UInt8](Data(contentsOf: file)))
        }
        #expect(expected.count > 100)
        #expect(try rig.moto.objectDigests(bucket: Self.bucket) == expected)
    }

    @Test func persistentFaultsAnswer503AndTheRetryOverwritesTheSameKeys() throws {
        let failing = Mutex<Bool>(true)
        let rig = try Self.startRig { request in
            // While failing, the second object of each batch is throttled on every attempt.
            let isSecond = request.target.hasSuffix("-1.json.gz")
            return failing.withLock { $0 } && request.method == "PUT" && isSecond
                ? .answer(status: 503, code: "SlowDown") : .forward
        }
        defer { rig.shutdown() }
        let fixture = S3Fixtures.repositoryRoot
            .appendingPathComponent("Tests/Fixtures/samples/firehose-fixtures")
        let records = try EventFileReader().read(paths: [fixture.path]).records
        let builder = try FirehoseRequestBuilder(configuration: FirehoseRequestBuilder.Configuration())
        let request = builder.makeRequest(
            records[...],
            requestID: RequestID.make(),
            timestampMillis: 1_733_300_000_000
        )
        let url = URL(string: "http://127.0.0.1:\(rig.s3.boundPort)/")!

        let first = try rig.tee.post(url: url, headers: request.headers, body: request.body)
        #expect(first.status == 503)
        let answer = try JSONTape(parsing: first.body)
        let message = answer.value(forKey: "errorMessage", in: 0).flatMap { answer.string($0) } ?? ""
        #expect(message.contains("SlowDown") && message.contains("attempts"), "\(message)")
        #expect(answer.value(forKey: "requestId", in: 0).flatMap { answer.string($0) } == request.requestID)
        let localKeys = try rig.tee.localKeys(requestID: request.requestID)
        #expect(localKeys.count >= 2, "the fixture must span several partitions")

        failing.withLock { $0 = false }
        let second = try rig.tee.post(url: url, headers: request.headers, body: request.body)
        #expect(second.status == 200)
        #expect(rig.tee.problems.isEmpty, "\(rig.tee.problems)")
        let stored = try rig.moto.objectDigests(bucket: Self.bucket).keys.filter { $0.contains(request.requestID) }
        #expect(Set(stored) == Set(localKeys.map { "\(Self.prefix)/\($0)" }))
    }

    /// Paths of every `.json.gz` file under a directory, sorted.
    static func objectFiles(under root: URL) throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            return []
        }
        var files: [URL] = []
        while let url = enumerator.nextObject() as? URL {
            if url.path.hasSuffix(".json.gz") {
                files.append(url)
            }
        }
        return files.sorted { $0.path < $1.path }
    }
}
