import CLinux

/// glibc malloc settings that keep the service's resident memory tied to the bodies in flight.
///
/// By default glibc gives each worker thread its own arena (up to 8 × cores) and keeps the high-water mark of every
/// arena resident, and its mmap threshold rises to the largest block freed so far (up to 32 MiB), so request bodies
/// and object buffers end up in the arenas too. After a few batches of 5 MiB on four workers the process held about
/// 160 MiB although one batch needs about 30 MiB. With at most two arenas and blocks of 1 MiB or more always
/// mapped (and unmapped when freed), bodies, inflated texts and object buffers go back to the system as soon as the
/// request ends.
public enum AllocatorTuning {
    /// Blocks from this size on are mapped on their own and returned when freed: 1 MiB.
    public static let mmapThresholdBytes: Int32 = 1 << 20
    /// The most malloc arenas: 2.
    public static let maxArenas: Int32 = 2

    /// Applies the settings; call once at start-up, before the worker threads exist.
    /// - Returns: whether glibc accepted both settings.
    @discardableResult
    public static func apply() -> Bool {
        let threshold = mallopt(M_MMAP_THRESHOLD, mmapThresholdBytes)
        let arenas = mallopt(M_ARENA_MAX, maxArenas)
        return threshold == 1 && arenas == 1
    }
}
