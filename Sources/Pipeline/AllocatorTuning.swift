import CLinux
import Foundation

/// glibc malloc settings that keep the service's resident memory tied to the bodies in flight.
///
/// By default glibc gives each worker thread its own arena (up to 8 × cores) and keeps the high-water mark of every
/// arena resident, so after a few batches of 5 MiB on four workers the process held about 160 MiB although one batch
/// needs about 30 MiB. One arena per core, at most four, keeps what one request frees for the next while the threads
/// that run at the same time (about one per core) rarely share an arena: with a single arena, two threads preparing
/// one batch spent 60 % longer in the same code (every `malloc` and `free` passing the arena's lock between the
/// cores), and serve used 6-10 % more CPU per record under load. A fixed mmap threshold of 32 MiB (the default one
/// moves) maps the largest bodies and their inflated text on their own, and gives them back when the request ends.
/// Measured on two cores: peak RSS 91-104 MiB with four 5 MiB batches in flight, and 104 MiB for one 16 MiB body,
/// against 125-160 MiB with glibc's defaults; a 1 MiB threshold costs 6 % more CPU per batch (it maps and faults in
/// every body anew).
public enum AllocatorTuning {
    /// Blocks from this size on are mapped on their own and returned when freed: 32 MiB.
    public static let mmapThresholdBytes: Int32 = 32 << 20
    /// The most malloc arenas: one per core, 1-4.
    public static let maxArenas = Int32(min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 4))

    /// Applies the settings; call once at start-up, before the worker threads exist.
    /// - Returns: whether glibc accepted both settings.
    @discardableResult
    public static func apply() -> Bool {
        let threshold = mallopt(M_MMAP_THRESHOLD, mmapThresholdBytes)
        let arenas = mallopt(M_ARENA_MAX, maxArenas)
        return threshold == 1 && arenas == 1
    }

    /// Gives the heap pages that start-up freed (catalog parsing, index building) back to the system, so the idle
    /// service holds only what it keeps; call once, after the engines are built and before serving.
    /// - Returns: whether any memory was released.
    @discardableResult
    public static func releaseFreedMemory() -> Bool {
        malloc_trim(0) == 1
    }
}
