import Foundation
import ServiceSupport
import Synchronization
import TLS

/// `lakemark send`: reads event files, sends them to a Firehose HTTP endpoint as Firehose would, and checks
/// every response.
///
/// Exit status: 0 when every request was delivered, 1 when any request failed, 2 for usage errors, unreadable
/// or malformed files, oversized records, or when no records were found.
public struct SendCommand: Sendable {
    /// The version in the `User-Agent` header (`lakemark-send/<version>`).
    public static let version = "0.1.0"
    /// The environment variable read when `--access-key` is not given.
    public static let accessKeyVariable = "LAKEMARK_SEND_ACCESS_KEY"

    /// Makes the transport for a run from its options.
    public typealias TransportFactory = @Sendable (SendOptions) -> any FirehoseTransport

    private let environment: [String: String]
    private let makeTransport: TransportFactory
    private let output: @Sendable (String) -> Void
    private let errorOutput: @Sendable (String) -> Void

    /// Creates the command.
    ///
    /// - Parameters:
    ///   - environment: The environment. Default: the process environment.
    ///   - makeTransport: Builds the transport. Default: an ``HTTPClientTransport`` with the run's timeout and
    ///     concurrency.
    ///   - output: Receives progress and summary lines. Default: standard output.
    ///   - errorOutput: Receives error lines. Default: standard error.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        makeTransport: @escaping TransportFactory = SendCommand.defaultTransport,
        output: @escaping @Sendable (String) -> Void = SendCommand.printToStandardOutput,
        errorOutput: @escaping @Sendable (String) -> Void = SendCommand.printToStandardError
    ) {
        self.environment = environment
        self.makeTransport = makeTransport
        self.output = output
        self.errorOutput = errorOutput
    }

    /// Runs the command with the process environment, the URLSession transport and standard output/error.
    ///
    /// - Parameter arguments: The arguments after `send`.
    /// - Returns: The exit status (see the type documentation).
    /// The project's own client; over TLS for `https://` URLs (a TLS set-up failure surfaces on the first send).
    public static func defaultTransport(_ options: SendOptions) -> any FirehoseTransport {
        guard options.url.scheme?.lowercased() == "https" else {
            return HTTPClientTransport(timeoutSeconds: options.timeoutSeconds, maxConnections: options.concurrency)
        }
        do {
            let tls = try TLSConnector(configuration: .fromEnvironment(ProcessInfo.processInfo.environment))
            return HTTPClientTransport(
                timeoutSeconds: options.timeoutSeconds, maxConnections: options.concurrency, tls: tls)
        } catch {
            return FailingTransport(reason: "TLS: \(error)")
        }
    }

    public static func run(arguments: [String]) -> Int32 {
        SendCommand().run(arguments: arguments)
    }

    /// Runs the command.
    ///
    /// - Parameter arguments: The arguments after `send`.
    /// - Returns: The exit status (see the type documentation).
    public func run(arguments: [String]) -> Int32 {
        let options: SendOptions
        do {
            options = try SendOptions.parse(arguments, environment: environment)
        } catch {
            errorOutput("lakemark send: \(error.message)\nRun 'lakemark send --help' for usage.")
            return 2
        }
        if options.showHelp {
            output(SendCommand.usage)
            return 0
        }
        guard !options.paths.isEmpty else {
            errorOutput("lakemark send: no files or directories given\nRun 'lakemark send --help' for usage.")
            return 2
        }
        do {
            let summary = try send(options)
            output(summary.report(url: options.url))
            return summary.failures.isEmpty ? 0 : 1
        } catch {
            errorOutput("lakemark send: \(error.message)")
            return 2
        }
    }

    /// Reads the files, sends every batch and collects the results.
    ///
    /// - Parameter options: The parsed options.
    /// - Returns: The summary of the run (failed requests are listed in it, not thrown).
    /// - Throws: ``SenderError`` for unreadable or malformed files, oversized records, invalid header values, or
    ///   when the files hold no records.
    public func send(_ options: SendOptions) throws(SenderError) -> SendSummary {
        let collection = try EventFileReader().read(paths: options.paths)
        var summary = SendSummary()
        for file in collection.files {
            summary.files.append((file.path, file.kind, file.records.count))
            if !options.quiet {
                output("\(file.path): \(file.kind.rawValue), \(file.records.count) records")
            }
        }
        if !options.quiet {
            collection.notes.forEach(output)
        }
        let records = collection.records
        guard !records.isEmpty else {
            throw SenderError(code: .invalidArgument, message: "no records found in the given files")
        }
        let builder = try FirehoseRequestBuilder(configuration: options.builderConfiguration)
        let batches = try builder.plan(records)
        summary.events = records.count
        summary.requests = batches.count

        let transport = makeTransport(options)
        let results = Mutex<[BatchResult?]>(Array(repeating: nil, count: batches.count))
        let nextBatch = Atomic<Int>(0)
        let prebuilt = options.prebuild
            ? batches.map { builder.makeRequest(records[$0], timestampMillis: Self.nowMillis()) } : []
        let started = Date()
        let worker: @Sendable () -> Void = {
            while true {
                let position = nextBatch.add(1, ordering: .relaxed).oldValue
                guard position < batches.count else { return }
                let request = prebuilt.isEmpty
                    ? builder.makeRequest(records[batches[position]], timestampMillis: Self.nowMillis())
                    : prebuilt[position]
                let result = deliver(request, options: options, transport: transport)
                results.withLock { $0[position] = result }
            }
        }
        runWorkers(count: min(options.concurrency, batches.count), worker)
        summary.seconds = Date().timeIntervalSince(started)

        for (position, result) in results.withLock({ $0 }).enumerated() {
            guard let result else { continue }
            summary.attempts += result.attempts
            summary.wireBytes += result.wireBytes
            summary.recordBytes += result.recordBytes
            if let reason = result.failure {
                let first = records[batches[position].lowerBound].file
                summary.failures.append(
                    SendSummary.Failure(
                        requestID: result.requestID,
                        recordCount: batches[position].count,
                        firstFile: first,
                        reason: reason
                    )
                )
            } else {
                summary.delivered += 1
                summary.latencies.append(result.seconds)
            }
        }
        return summary
    }

    // MARK: - Sending

    private static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000) }

    /// The outcome of one request over all its attempts.
    private struct BatchResult: Sendable {
        var requestID: String
        var attempts: Int
        var wireBytes: Int
        var recordBytes: Int
        /// The reason of the last failed attempt, or `nil` when delivered.
        var failure: String?
        /// The round trip of the last attempt, in seconds.
        var seconds = 0.0
    }

    /// Sends one request, retrying failures (except 413) up to `options.retries` times with Firehose's backoff.
    private func deliver(_ request: FirehoseRequest, options: SendOptions, transport: any FirehoseTransport)
        -> BatchResult
    {
        var result = BatchResult(
            requestID: request.requestID,
            attempts: 0,
            wireBytes: 0,
            recordBytes: request.recordBytes,
            failure: nil
        )
        var generator = SystemRandomNumberGenerator()
        while true {
            result.attempts += 1
            result.wireBytes += request.body.count
            var permanent = false
            do {
                let attemptStart = DispatchTime.now().uptimeNanoseconds
                let response = try transport.post(url: options.url, headers: request.headers, body: request.body)
                result.seconds = Double(DispatchTime.now().uptimeNanoseconds - attemptStart) / 1e9
                let outcome = FirehoseResponseValidator.validate(
                    status: response.status,
                    headers: response.headers,
                    body: response.body,
                    requestID: request.requestID
                )
                switch outcome {
                case .delivered:
                    result.failure = nil
                    return result
                case .failed(let status, let reason):
                    result.failure = reason
                    permanent = status == 413
                }
            } catch {
                result.failure = "transport: \(error)"
            }
            guard !permanent, result.attempts <= options.retries else { return result }
            let delay = RetryBackoff.delay(beforeRetry: result.attempts, using: &generator)
            if !options.quiet {
                output(
                    "request \(request.requestID) attempt \(result.attempts) failed: \(result.failure ?? ""); "
                        + "retrying in " + String(format: "%.1f", delay) + " s"
                )
            }
            Thread.sleep(forTimeInterval: delay)
        }
    }

    /// Runs `body` on `count` threads and waits for all of them.
    private func runWorkers(count: Int, _ body: @escaping @Sendable () -> Void) {
        if count <= 1 {
            body()
            return
        }
        let group = DispatchGroup()
        for _ in 0..<count {
            group.enter()
            let thread = Thread {
                body()
                group.leave()
            }
            thread.start()
        }
        group.wait()
    }

    /// Writes `text` and a newline to standard output in one write.
    ///
    /// - Parameter text: The text to print.
    public static func printToStandardOutput(_ text: String) {
        StandardStream.output.write(text + "\n")
    }

    /// Writes `text` and a newline to standard error in one write.
    ///
    /// - Parameter text: The text to print.
    public static func printToStandardError(_ text: String) {
        StandardStream.error.write(text + "\n")
    }
}
