import Synchronization

/// Idle compression writers kept between one-shot compressions, so that compressing an object reuses a zlib stream
/// (reset with `deflateReset`) or a libzstd context instead of allocating and initialising one; the set-up was about
/// 13 % of compressing a small object with gzip level 1.
///
/// A writer is taken out for one compression and put back after it, so each writer is used by one thread at a time
/// and there are never more writers than compressions running at once. At most ``maxIdle`` stay idle; a writer put
/// back beyond that is freed. Output is unchanged: a reset zlib stream or libzstd context with the same parameters
/// writes the same bytes as a new one.
final class WriterPool<Writer: AnyObject>: Sendable {
    /// An idle writer and the level it was made for. `@unchecked Sendable`: a writer inside the pool is used by
    /// nobody, and ``withWriter(level:_:)`` hands it to one caller at a time.
    private struct Idle: @unchecked Sendable {
        let level: Int
        let writer: Writer
    }

    /// The most writers kept idle.
    let maxIdle: Int
    /// Makes a writer for a level.
    private let make: @Sendable (Int) -> Writer
    private let idle = Mutex<[Idle]>([])

    /// Creates an empty pool.
    /// - Parameters:
    ///   - maxIdle: The most writers kept idle.
    ///   - make: Makes a writer for a level.
    init(maxIdle: Int, make: @escaping @Sendable (Int) -> Writer) {
        self.maxIdle = maxIdle
        self.make = make
    }

    /// Runs `body` with an idle writer of `level` (a new one when none is idle) and puts the writer back after.
    /// `body` must leave the writer ready for the next compression.
    /// - Parameters:
    ///   - level: The level the writer must have been made for.
    ///   - body: Uses the writer.
    /// - Returns: What `body` returns.
    func withWriter<Result>(level: Int, _ body: (Writer) -> Result) -> Result {
        let taken = idle.withLock { writers -> Idle? in
            guard let index = writers.lastIndex(where: { $0.level == level }) else { return nil }
            return writers.remove(at: index)
        }
        let entry = taken ?? Idle(level: level, writer: make(level))
        let result = body(entry.writer)
        idle.withLock { writers in
            if writers.count < maxIdle { writers.append(entry) }
        }
        return result
    }
}
