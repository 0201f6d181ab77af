#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Objects of one batch written to a ``LocalDirectorySink``'s temporary area as each becomes ready (no `fsync`; the
/// object's directories are made then too), then stored together by ``commit()``: one `syncfs(2)`, every rename into
/// place (on up to ``LocalDirectorySink/maxParallelWrites`` threads), a second `syncfs` — the sink's batched
/// sequence. A batch's objects can so be written while others are still being compressed.
final class LocalDirectoryStaging: ObjectStaging {
    /// One object written to the temporary area.
    private struct Staged {
        let plan: LocalDirectorySink.WritePlan
        let key: String
        let temporaryPath: String
    }

    /// What has been staged, and the keys seen.
    private struct State {
        var keys = Set<String>()
        var staged: [Staged] = []
    }

    private let sink: LocalDirectorySink
    private let state = Mutex(State())

    /// Creates an empty staging for `sink`.
    init(sink: LocalDirectorySink) {
        self.sink = sink
    }

    /// Checks the key and writes the object to a temporary file.
    func stage(_ object: SinkObject) throws(SinkError) {
        let parts = try SinkKey.split(object.key)
        let fresh = state.withLock { $0.keys.insert(object.key).inserted }
        guard fresh else { throw LocalDirectorySink.duplicateKeyError(object.key) }
        let plan = LocalDirectorySink.WritePlan(index: 0, directories: parts.directories, name: parts.name)
        try stage(object, plan: plan)
    }

    /// Writes an object whose key the caller has checked to a temporary file, and makes its directories unless the
    /// caller has.
    func stage(
        _ object: SinkObject,
        plan: LocalDirectorySink.WritePlan,
        directoriesMade: Bool = false
    ) throws(SinkError) {
        if !directoriesMade { _ = try sink.prepareDirectories(for: [plan]) }
        let temporaryPath = try sink.writeTemporary(plan, object, sync: false)
        state.withLock { $0.staged.append(Staged(plan: plan, key: object.key, temporaryPath: temporaryPath)) }
    }

    /// Makes the temporary files durable, renames them into place and makes the renames durable. On a failure, the
    /// temporary files not yet renamed are removed.
    func commit() throws(SinkError) {
        let staged = takeStaged()
        guard !staged.isEmpty else { return }
        do throws(SinkError) {
            try sink.syncFileSystem(doing: "syncing the written objects")
        } catch {
            for item in staged { sink.removeTemporary(item.temporaryPath) }
            throw error
        }
        do throws(SinkError) {
            let sink = sink
            try sink.forEach(staged.count) { position throws(SinkError) in
                let item = staged[position]
                try sink.moveIntoPlace(item.temporaryPath, item.plan, key: item.key)
            }
        } catch {
            // Those renamed are gone from the temporary area; the others are removed.
            for item in staged { sink.removeTemporary(item.temporaryPath) }
            throw error
        }
        try sink.syncFileSystem(doing: "syncing the renamed objects")
        sink.removeStrandedTemporaries()
    }

    /// Removes the temporary files of every object staged and not committed.
    func discard() {
        for item in takeStaged() { sink.removeTemporary(item.temporaryPath) }
    }

    /// The objects staged so far, no longer held here.
    private func takeStaged() -> [Staged] {
        state.withLock { state in
            var taken: [Staged] = []
            swap(&taken, &state.staged)
            return taken
        }
    }
}
