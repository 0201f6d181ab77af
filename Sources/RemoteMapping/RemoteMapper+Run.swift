import AWSCredentialChain
import Foundation
import Mapping
import Synchronization

extension RemoteMapper {
    /// Maps a batch's texts: cache, then the API in parallel chunks, then the fallback for failed chunks.
    /// - Parameters:
    ///   - texts: The texts (duplicates are sent once).
    ///   - options: Frameworks, threshold and matches per framework.
    /// - Returns: The matches per text and who answered; never throws for API failures.
    /// - Throws: ``MappingError`` when the options are invalid.
    public func run(_ texts: [String], options: MappingOptions) throws(MappingError) -> MappingRun {
        let options = try options.validated()
        var distinct: [String] = []
        var positions: [String: Int] = [:]
        let slots = texts.map { text in
            if let known = positions[text] { return known }
            positions[text] = distinct.count
            distinct.append(text)
            return distinct.count - 1
        }
        var answers: [[ControlMatch]?] = Array(repeating: nil, count: distinct.count)
        var run = MappingRun(matches: [])
        run.distinctTexts = distinct.count
        let start = ContinuousClock.now
        var pending: [Int] = []
        for (index, text) in distinct.enumerated() {
            if let hit = cache.matches(for: AnswerCache.Key(text: text, options: options), now: start) {
                answers[index] = hit
                run.cachedTexts += 1
            } else {
                pending.append(index)
            }
        }
        if !pending.isEmpty {
            let documents = pending.map {
                MapRequestBody.truncated(distinct[$0], toUTF8: configuration.maxDocumentBytes)
            }
            let chunks = ChunkPlan.ranges(
                costs: documents.map(MapRequestBody.cost(of:)),
                maxDocuments: configuration.documentsPerCall,
                maxBytes: configuration.bytesPerCall
            )
            let board = ChunkBoard(count: chunks.count)
            let outcomes = callAll(chunks, documents, options, board: board, deadline: start + configuration.budget)
            for (chunk, outcome) in zip(chunks, outcomes) {
                let indexes = Array(pending[chunk])
                switch outcome {
                case .success(let answer):
                    for (offset, index) in indexes.enumerated() {
                        answers[index] = answer.matches[offset]
                        if answer.missingFrameworks.isEmpty {
                            cache.store(
                                answer.matches[offset],
                                for: AnswerCache.Key(text: distinct[index], options: options)
                            )
                        }
                    }
                    run.remoteTexts += indexes.count
                    for framework in answer.missingFrameworks where !run.missingFrameworks.contains(framework) {
                        run.missingFrameworks.append(framework)
                    }
                case .failure(let error):
                    run.failure = run.failure ?? error
                    let chunkTexts = indexes.map { distinct[$0] }
                    if let fallback, let mapped = try? fallback.map(chunkTexts, options: options),
                        mapped.count == indexes.count
                    {
                        for (offset, index) in indexes.enumerated() { answers[index] = mapped[offset] }
                        run.fallbackTexts += indexes.count
                    } else {
                        run.unmappedTexts += indexes.count
                    }
                }
            }
            run.calls = board.calls.load(ordering: .relaxed)
            run.retries = board.retries.load(ordering: .relaxed)
        }
        run.matches = slots.map { answers[$0] ?? [] }
        counters.add(run)
        return run
    }

    /// Calls every chunk on up to ``Configuration/parallelCalls`` threads and waits until all are done or the
    /// budget is spent; chunks without an outcome by then fail with ``RemoteMappingError/Code/timeout``.
    private func callAll(
        _ chunks: [Range<Int>],
        _ documents: [String],
        _ options: MappingOptions,
        board: ChunkBoard,
        deadline: ContinuousClock.Instant
    ) -> [ChunkBoard.Outcome] {
        for _ in 0..<min(max(1, configuration.parallelCalls), chunks.count) {
            Thread.detachNewThread { [self] in
                while let index = board.claim() {
                    let outcome = callWithRetries(Array(documents[chunks[index]]), options, board, deadline)
                    board.finish(index, outcome)
                }
            }
        }
        let budget = RemoteMappingError(
            .timeout,
            "the mapping budget of \(configuration.budget.seconds) s ran out before the API answered"
        )
        return board.waitAndAbandon(until: deadline).map { $0 ?? .failure(budget) }
    }

    /// One chunk: attempts with retries, within the breaker, the rate limit and the deadline.
    private func callWithRetries(
        _ documents: [String],
        _ options: MappingOptions,
        _ board: ChunkBoard,
        _ deadline: ContinuousClock.Instant
    ) -> ChunkBoard.Outcome {
        var attempts = 0
        var refreshedKey = false
        var lastError: RemoteMappingError?
        while true {
            if let refusal = waitForRateLimit(deadline: deadline) { return .failure(lastError ?? refusal) }
            guard !board.isAbandoned, ContinuousClock.now < deadline else {
                return .failure(lastError ?? RemoteMappingError(.timeout, "the mapping budget ran out"))
            }
            let admission = breaker.admit()
            guard admission != .refused else {
                return .failure(
                    lastError
                        ?? RemoteMappingError(
                            .circuitOpen,
                            "the mapping API failed \(breaker.failureThreshold) times in a row; calls resume after a "
                                + "\(breaker.cooldown.seconds) s cool-down"
                        )
                )
            }
            let key: String
            do {
                key = try apiKey.apiKey()
            } catch {
                if admission == .probe { breaker.releaseProbe() }
                return .failure(RemoteMappingError(.apiKeyUnavailable, "cannot read the API key: \(error)"))
            }
            board.calls.add(1, ordering: .relaxed)
            if attempts > 0 || refreshedKey { board.retries.add(1, ordering: .relaxed) }
            attempts += 1
            do {
                let answer = try client.map(documents, options: options, apiKey: key)
                breaker.recordSuccess()
                if !answer.missingFrameworks.isEmpty { counters.partialAnswers.add(1, ordering: .relaxed) }
                return .success(answer)
            } catch {
                if error.indicatesOutage { breaker.recordFailure() } else { breaker.recordSuccess() }
                lastError = error
                if error.isKeyRefused && !refreshedKey {
                    refreshedKey = true
                    attempts -= 1
                    apiKey.invalidate()
                    continue
                }
                guard error.isRetryable, attempts < configuration.maxAttempts,
                    let pause = pause(after: error, retry: attempts, deadline: deadline)
                else { return .failure(error) }
                Thread.sleep(forTimeInterval: pause.seconds)
            }
        }
    }

    /// The pause before the next attempt, or `nil` when it would not fit in the budget (or the API asked for
    /// a longer wait than ``Configuration/retryMaxDelay``). A 429 with `Retry-After` also holds back every other
    /// call until then.
    private func pause(after error: RemoteMappingError, retry: Int, deadline: ContinuousClock.Instant) -> Duration? {
        let now = ContinuousClock.now
        let pause: Duration
        if let wait = error.retryAfterSeconds {
            let asked = Duration.seconds(wait)
            if error.httpStatus == 429 {
                // Other calls hold back too, but never longer than the circuit cool-down: a huge Retry-After
                // must not switch remote mapping off for the rest of the process.
                let held = min(asked, configuration.circuitCooldown)
                rateLimit.withLock { limit in
                    if limit.map({ $0.until < now + held }) ?? true { limit = (now + held, error) }
                }
            }
            guard asked <= configuration.retryMaxDelay else { return nil }
            pause = asked + .seconds(wait * 0.1 * Double.random(in: 0..<1))
        } else {
            pause = backoff.pause(beforeRetry: retry, random: Double.random(in: 0..<1))
        }
        return now + pause < deadline ? pause : nil
    }

    /// Sleeps until a rate limit set by a 429 is over; returns a ``RemoteMappingError/Code/rateLimited`` refusal
    /// instead (no call is made) when the wait would be longer than ``Configuration/retryMaxDelay`` or would not end
    /// before the deadline.
    private func waitForRateLimit(deadline: ContinuousClock.Instant) -> RemoteMappingError? {
        guard let (until, error) = rateLimit.withLock({ $0 }) else { return nil }
        let now = ContinuousClock.now
        guard until > now else { return nil }
        let left = (until - now).seconds
        guard until - now <= configuration.retryMaxDelay, until < deadline else {
            let asked = error.retryAfterSeconds.map { " (Retry-After \(Self.seconds($0)) s)" } ?? ""
            return RemoteMappingError(
                .rateLimited,
                "no call made: the mapping API answered 429\(asked); calls resume in \(Self.seconds(left)) s",
                retryAfterSeconds: left
            )
        }
        Thread.sleep(forTimeInterval: left)
        return nil
    }

    /// Seconds with one decimal, for messages.
    private static func seconds(_ value: Double) -> String {
        String(Double((value * 10).rounded(.up)) / 10)
    }
}
