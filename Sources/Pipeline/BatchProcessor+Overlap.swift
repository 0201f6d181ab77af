import Firehose
import ServiceSupport
import Synchronization

extension BatchProcessor {
    /// A batch whose records were prepared while its body was still being decompressed.
    struct OverlappedPreparation {
        /// The decoded batch.
        var batch: FirehoseBatch
        /// Its events in runs, in record order.
        var runs: PreparedRuns
        /// Its distinct texts; the events' text indexes point into it.
        var texts: EventEnricher.TextTable
    }

    /// Decodes a large gzip body and prepares its records at the same time on `threads` threads
    /// (``FirehoseBatchDecoder/decodeOverlapped(body:head:threads:prepare:)``): the same events, texts and counts as
    /// decoding and then preparing, sooner. `nil` when that does not apply; the caller then decodes as usual.
    func decodeAndPrepareOverlapped(
        body: [UInt8],
        head: FirehoseRequestHead,
        threads: Int,
        report: inout BatchReport
    ) -> OverlappedPreparation? {
        let now = UTCTime.nowMillis()
        let budget = InflateBudgetPool(total: configuration.maxInflatedBatchBytes)
        let overlapped = decoder.decodeOverlapped(body: body, head: head, threads: threads) { records, timestamp in
            self.prepare(records, head: head, defaultTime: Self.plausible(timestamp) ?? now, inflateBudget: budget)
        }
        guard var overlapped else { return nil }
        var texts = EventEnricher.TextTable()
        var parts: [PreparedRecords] = []
        swap(&parts, &overlapped.parts)
        let defaultTime = Self.plausible(overlapped.batch.timestampMillis) ?? now
        settleInflateBudget(&parts, batch: overlapped.batch, head: head, defaultTime: defaultTime)
        let runs = merge(parts, texts: &texts, report: &report)
        report.timings.decode = overlapped.decodeSeconds
        return OverlappedPreparation(batch: overlapped.batch, runs: runs, texts: texts)
    }
}

/// The inflate budget of one batch (``Configuration/maxInflatedBatchBytes``), drawn on by runs prepared at the same
/// time: each gzip record reserves up to the most one record may inflate to and gives back what it did not use, so
/// the batch never inflates more in total.
final class InflateBudgetPool: Sendable {
    private let remaining: Atomic<Int>

    /// Creates a pool of `total` bytes.
    init(total: Int) {
        remaining = Atomic(max(total, 0))
    }

    /// Takes up to `bytes` from the pool; returns what was taken.
    func reserve(upTo bytes: Int) -> Int {
        var current = remaining.load(ordering: .relaxed)
        while true {
            let taken = min(current, max(bytes, 0))
            let (exchanged, original) = remaining.compareExchange(
                expected: current,
                desired: current - taken,
                ordering: .relaxed
            )
            if exchanged { return taken }
            current = original
        }
    }

    /// Returns what a record did not use (nothing when it used all of it, or one byte more to prove itself too large).
    func giveBack(_ bytes: Int) {
        if bytes > 0 { remaining.add(bytes, ordering: .relaxed) }
    }
}
