import Dispatch
import Foundation
import Synchronization

/// A cached value that is fetched again in the background when it gets old and in the foreground when it can no
/// longer be used; at most one fetch runs at a time, and concurrent callers that must wait share it.
///
/// The owner decides how fresh a value is (``Freshness``); the cell decides who fetches and who waits:
/// - ``Freshness/fresh``: the cached value is returned.
/// - ``Freshness/refreshSoon``: the cached value is returned and one background fetch is started.
/// - ``Freshness/refreshNow``: callers wait for a fetch, but keep the cached value if that fetch fails.
/// - ``Freshness/unusable`` (or nothing cached, or invalidated): callers wait for a fetch and get its error.
///
/// After a failed fetch, no new fetch starts for `failureBackoff`: callers get the cached value while it is
/// usable, or the last error. ``invalidate()`` lifts that pause.
final class RefreshCell<Value: Sendable>: Sendable {
    /// How usable a cached value is at a given time.
    enum Freshness: Sendable {
        /// Use the value.
        case fresh
        /// Use the value and refresh it in the background.
        case refreshSoon
        /// Wait for a refresh; use the value if the refresh fails.
        case refreshNow
        /// Wait for a refresh; fail if it fails.
        case unusable
    }

    /// One fetch, awaited by any number of callers.
    final class Fetch: Sendable {
        /// The invalidation count when the fetch started; a later ``RefreshCell/invalidate()`` outdates its value.
        let generation: Int
        private let finished = DispatchGroup()
        private let outcome = Mutex<Result<Value, CredentialError>?>(nil)

        /// Creates a pending fetch.
        ///
        /// - Parameter generation: The cell's invalidation count at the start.
        init(generation: Int) {
            self.generation = generation
            finished.enter()
        }

        /// Publishes the outcome and wakes every waiter; called exactly once.
        ///
        /// - Parameter result: The fetched value or the failure.
        func complete(_ result: Result<Value, CredentialError>) {
            outcome.withLock { $0 = result }
            finished.leave()
        }

        /// Blocks until ``complete(_:)`` has been called.
        ///
        /// - Returns: The outcome.
        func wait() -> Result<Value, CredentialError> {
            finished.wait()
            return outcome.withLock { $0! }
        }
    }

    private struct Entry {
        var value: Value
        var fetchedAt: Date
    }

    private struct State {
        var entry: Entry?
        var isInvalidated = false
        var generation = 0
        var inFlight: Fetch?
        var pausedUntil: Date?
        var lastError: CredentialError?
    }

    private enum Step {
        case use(Value)
        case useAndRefresh(Value, Fetch)
        case fetch(Fetch)
        case wait(Fetch)
        case fail(CredentialError)
    }

    private let state = Mutex(State())
    private let load: @Sendable () throws(CredentialError) -> Value
    private let freshness: @Sendable (Value, Date, Date) -> Freshness
    private let now: @Sendable () -> Date
    private let runInBackground: @Sendable (@escaping @Sendable () -> Void) -> Void
    private let failureBackoff: TimeInterval
    private let onFailure: (@Sendable (CredentialError) -> Void)?

    /// Creates an empty cell.
    ///
    /// - Parameters:
    ///   - load: Fetches a new value.
    ///   - freshness: Rates a value given the time it was fetched and the current time.
    ///   - now: The clock.
    ///   - runInBackground: Runs a background fetch.
    ///   - failureBackoff: The pause after a failed fetch, in seconds.
    ///   - onFailure: Told about every failed fetch, after the cell's lock is released.
    init(
        load: @escaping @Sendable () throws(CredentialError) -> Value,
        freshness: @escaping @Sendable (Value, Date, Date) -> Freshness,
        now: @escaping @Sendable () -> Date,
        runInBackground: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void,
        failureBackoff: TimeInterval,
        onFailure: (@Sendable (CredentialError) -> Void)?
    ) {
        self.load = load
        self.freshness = freshness
        self.now = now
        self.runInBackground = runInBackground
        self.failureBackoff = failureBackoff
        self.onFailure = onFailure
    }

    /// The current value, fetched or refreshed as its freshness requires.
    ///
    /// - Returns: A usable value.
    /// - Throws: The error of the fetch this call waited for, or the last error during the pause after a failure,
    ///   when no usable value is cached.
    func get() throws(CredentialError) -> Value {
        let time = now()
        let step = state.withLock { state -> Step in
            let isPaused = state.pausedUntil.map { time < $0 } ?? false
            var rating = Freshness.unusable
            if let entry = state.entry, !state.isInvalidated {
                rating = freshness(entry.value, entry.fetchedAt, time)
            }
            switch rating {
            case .fresh:
                return .use(state.entry!.value)
            case .refreshSoon:
                guard state.inFlight == nil, !isPaused else { return .use(state.entry!.value) }
                let fetch = Fetch(generation: state.generation)
                state.inFlight = fetch
                return .useAndRefresh(state.entry!.value, fetch)
            case .refreshNow, .unusable:
                if let fetch = state.inFlight { return .wait(fetch) }
                if isPaused {
                    if rating == .refreshNow { return .use(state.entry!.value) }
                    if let error = state.lastError { return .fail(error) }
                }
                let fetch = Fetch(generation: state.generation)
                state.inFlight = fetch
                return .fetch(fetch)
            }
        }
        switch step {
        case .use(let value):
            return value
        case .useAndRefresh(let value, let fetch):
            runInBackground { self.perform(fetch) }
            return value
        case .fetch(let fetch):
            perform(fetch)
            return try settle(fetch.wait())
        case .wait(let fetch):
            return try settle(fetch.wait())
        case .fail(let error):
            throw error
        }
    }

    /// Makes the next ``get()`` fetch a new value (waiting for it) instead of using the cached one.
    func invalidate() {
        state.withLock { state in
            state.isInvalidated = true
            state.generation += 1
            state.pausedUntil = nil
        }
    }

    /// Runs one fetch and publishes its outcome.
    private func perform(_ fetch: Fetch) {
        let result: Result<Value, CredentialError>
        do {
            result = .success(try load())
        } catch {
            result = .failure(error)
        }
        let time = now()
        state.withLock { state in
            state.inFlight = nil
            switch result {
            case .success(let value):
                state.entry = Entry(value: value, fetchedAt: time)
                state.isInvalidated = state.generation != fetch.generation
                state.pausedUntil = nil
                state.lastError = nil
            case .failure(let error):
                state.pausedUntil = time.addingTimeInterval(failureBackoff)
                state.lastError = error
            }
        }
        fetch.complete(result)
        if case .failure(let error) = result { onFailure?(error) }
    }

    /// The value a waiting caller gets once its fetch has finished.
    private func settle(_ result: Result<Value, CredentialError>) throws(CredentialError) -> Value {
        switch result {
        case .success(let value):
            return value
        case .failure(let error):
            let time = now()
            let fallback = state.withLock { state -> Value? in
                guard let entry = state.entry, !state.isInvalidated else { return nil }
                return freshness(entry.value, entry.fetchedAt, time) == .unusable ? nil : entry.value
            }
            guard let fallback else { throw error }
            return fallback
        }
    }
}
