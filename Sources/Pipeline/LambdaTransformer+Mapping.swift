import Dispatch
import Mapping
import Synchronization

extension LambdaTransformer {
    /// A finished mapping run: the matches or the failure, and the remote mapper's counts.
    struct MappingOutcome: Sendable {
        /// One match list per text, or why there is none.
        var result: Result<[[ControlMatch]], TransformationError>
        /// The remote mapper's counts, when it ran.
        var report: BatchReport
    }

    /// Where a background mapping run leaves its outcome.
    final class MappingSlot: Sendable {
        /// The outcome once the run has finished.
        let outcome = Mutex<MappingOutcome?>(nil)
    }

    /// Maps the distinct texts, giving up when `budget` runs out.
    ///
    /// With a budget the run happens on a Dispatch worker and this thread waits at most `budget`; a run still
    /// going then finishes in the background (its answers fill the mapper's cache for Firehose's retry) and its
    /// result is ignored. Without a budget the texts are mapped on this thread.
    /// - Parameters:
    ///   - texts: The distinct texts.
    ///   - hints: The event type of each text, for the embedded engine.
    ///   - budget: The time mapping may take; `nil` for no limit. Zero or less skips mapping.
    ///   - report: Receives the remote mapper's counts and whether time ran out.
    /// - Returns: The `secberus_compliance` array per text, or `nil` when time ran out.
    /// - Throws: ``TransformationError`` when mapping failed (`mapping_failure` = `fail` for degraded remote
    ///   mapping or a deadline miss; or a mapper error).
    func mapWithin(
        _ texts: [String],
        hints: [EventTypeHint?] = [],
        budget: Duration?,
        report: inout LambdaReport
    ) throws(TransformationError) -> [[UInt8]]? {
        guard !texts.isEmpty else { return [] }
        let outcome: MappingOutcome?
        if let budget {
            outcome = budget > .zero ? mapInBackground(texts, hints: hints, budget: budget) : nil
        } else {
            outcome = mapNow(texts, hints: hints)
        }
        guard let outcome else {
            report.mappingTimedOut = true
            if enricher.configuration.remoteMapping.failurePolicy == .fail {
                throw TransformationError(.mappingUnavailable, "compliance mapping did not finish before the deadline")
            }
            return nil
        }
        report.batch.remoteMapping = outcome.report.remoteMapping
        return try outcome.result.get().map { MapAPI.complianceArrayJSON($0) }
    }

    private func mapInBackground(_ texts: [String], hints: [EventTypeHint?], budget: Duration) -> MappingOutcome? {
        let slot = MappingSlot()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let outcome = mapNow(texts, hints: hints)
            slot.outcome.withLock { $0 = outcome }
            done.signal()
        }
        let (seconds, attoseconds) = budget.components
        let nanoseconds = Int(min(seconds, 86_400)) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        guard done.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success else { return nil }
        return slot.outcome.withLock { $0 }
    }

    private func mapNow(_ texts: [String], hints: [EventTypeHint?]) -> MappingOutcome {
        var report = BatchReport()
        do {
            let matches = try enricher.mapTexts(texts, hints: hints, report: &report)
            return MappingOutcome(result: .success(matches), report: report)
        } catch let error as MappingUnavailable {
            return MappingOutcome(
                result: .failure(TransformationError(.mappingUnavailable, error.message)),
                report: report
            )
        } catch {
            return MappingOutcome(result: .failure(TransformationError(.mappingFailed, "\(error)")), report: report)
        }
    }
}
