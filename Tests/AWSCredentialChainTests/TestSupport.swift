import AWSCredentialChain
import AWSSigning
import Foundation
import ServiceSupport
import Synchronization

/// A temporary directory removed when the value is released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("awscred-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` to `name` inside the directory and returns the full path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }
}

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    var function: @Sendable () -> Date { { self.now } }
}

/// Collects background jobs so tests decide when they run.
final class ManualRunner: Sendable {
    private let jobs = Mutex<[@Sendable () -> Void]>([])

    var function: @Sendable (@escaping @Sendable () -> Void) -> Void {
        { job in self.jobs.withLock { $0.append(job) } }
    }

    var pendingCount: Int { jobs.withLock { $0.count } }

    /// Runs and removes every queued job.
    func runAll() {
        let queued = jobs.withLock { jobs in
            defer { jobs.removeAll() }
            return jobs
        }
        for job in queued { job() }
    }
}

/// Collects reported errors.
final class ErrorLog: Sendable {
    private let errors = Mutex<[CredentialError]>([])

    var function: @Sendable (CredentialError) -> Void { { error in self.errors.withLock { $0.append(error) } } }

    var all: [CredentialError] { errors.withLock { $0 } }
}

/// A provider that hands out scripted results and counts calls.
final class ScriptedProvider: CredentialProvider {
    private let results: Mutex<[Result<AWSCredentials, CredentialError>]>
    private let calls = Atomic<Int>(0)

    init(_ results: [Result<AWSCredentials, CredentialError>]) {
        self.results = Mutex(results)
    }

    var callCount: Int { calls.load(ordering: .relaxed) }

    func credentials() throws -> AWSCredentials {
        calls.add(1, ordering: .relaxed)
        let next = results.withLock { results in results.count > 1 ? results.removeFirst() : results[0] }
        return try next.get()
    }
}

/// Options pointing every fetched source at loopback with short timeouts and a fixed clock.
func loopbackOptions(
    containerBase: String = "http://127.0.0.1:9",
    clock: ManualClock? = nil,
    timeout: Duration = .milliseconds(800),
    attempts: Int = 1
) -> CredentialSourceOptions {
    var options = CredentialSourceOptions()
    options.containerBaseURL = containerBase
    let policy = FetchPolicy(timeout: timeout, attempts: attempts, retryDelay: .zero)
    options.containerPolicy = policy
    options.instanceMetadataPolicy = policy
    options.stsPolicy = policy
    if let clock { options.refresh.now = clock.function }
    return options
}

/// Credentials JSON as the container endpoint and IMDS serve it.
func credentialDocument(
    accessKeyID: String = "ASIACONTAINER",
    secret: String = "container-secret",
    token: String = "container-token",
    expiration: Date,
    imds: Bool = false
) -> String {
    let expiry = UTCTime.rfc3339(millis: Int64(expiration.timeIntervalSince1970 * 1000))
    let code = imds ? "\"Code\":\"Success\",\"LastUpdated\":\"2026-01-01T00:00:00Z\",\"Type\":\"AWS-HMAC\"," : ""
    return "{\(code)\"AccessKeyId\":\"\(accessKeyID)\",\"SecretAccessKey\":\"\(secret)\",\"Token\":\"\(token)\","
        + "\"Expiration\":\"\(expiry)\"}"
}

/// An expiry one hour ahead of the real clock.
func inOneHour() -> Date { Date().addingTimeInterval(3_600) }

/// A flag shared with fake servers.
final class Flag: Sendable {
    private let value = Mutex(false)

    var isSet: Bool { value.withLock { $0 } }

    func set() {
        value.withLock { $0 = true }
    }
}
