import Synchronization

/// Running totals of a ``RemoteMapper`` since it was created.
public struct RemoteMapperStatistics: Sendable, Hashable {
    /// Batches (calls of ``RemoteMapper/run(_:options:)``) mapped.
    public var runs = 0
    /// HTTP calls to `/v1/map`, retries included.
    public var calls = 0
    /// Retries among ``calls``.
    public var retries = 0
    /// Distinct texts answered from the cache.
    public var cachedTexts = 0
    /// Distinct texts answered by the API.
    public var remoteTexts = 0
    /// Distinct texts answered by the fallback engine.
    public var fallbackTexts = 0
    /// Distinct texts left without mappings.
    public var unmappedTexts = 0
    /// Runs in which the fallback engine answered some texts.
    public var fallbackRuns = 0
    /// Runs that left texts without mappings, by ``RemoteMappingError/alarmCode``.
    public var degradedRuns: [String: Int] = [:]
    /// Answers that lacked a requested framework.
    public var partialAnswers = 0
    /// Times the circuit breaker opened.
    public var circuitOpenings = 0
    /// HTTP calls (both endpoints, failed ones included) made as HTTP/2 streams.
    public var http2Calls = 0
    /// HTTP calls (both endpoints, failed ones included) made over HTTP/1.1.
    public var http1Calls = 0

    /// Creates empty totals.
    public init() {}

    /// All degraded runs, whatever the code.
    public var degradedRunCount: Int { degradedRuns.values.reduce(0, +) }
}

/// The totals behind ``RemoteMapper/statistics``, updated after each run.
final class RemoteMapperCounters: Sendable {
    private let totals = Mutex(RemoteMapperStatistics())
    /// Answers that lacked a requested framework (counted per call, from worker threads).
    let partialAnswers = Atomic<Int>(0)

    /// Adds a finished run.
    func add(_ run: MappingRun) {
        totals.withLock { totals in
            totals.runs += 1
            totals.calls += run.calls
            totals.retries += run.retries
            totals.cachedTexts += run.cachedTexts
            totals.remoteTexts += run.remoteTexts
            totals.fallbackTexts += run.fallbackTexts
            totals.unmappedTexts += run.unmappedTexts
            if run.fallbackTexts > 0 { totals.fallbackRuns += 1 }
            if run.isDegraded, let failure = run.failure { totals.degradedRuns[failure.alarmCode, default: 0] += 1 }
        }
    }

    /// The totals now.
    /// - Parameters:
    ///   - circuitOpenings: The breaker's count.
    ///   - versions: The calls per HTTP version.
    func snapshot(circuitOpenings: Int, versions: HTTPVersionChoice) -> RemoteMapperStatistics {
        var copy = totals.withLock { $0 }
        copy.partialAnswers = partialAnswers.load(ordering: .relaxed)
        copy.circuitOpenings = circuitOpenings
        copy.http2Calls = versions.http2Calls.load(ordering: .relaxed)
        copy.http1Calls = versions.http1Calls.load(ordering: .relaxed)
        return copy
    }
}
