#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLinux
import Dispatch
import ServiceSupport
import Synchronization

/// An ``ObjectSink`` that stores each object as a file under a root directory, durably.
///
/// For every object, ``put(_:)``:
/// 1. creates the missing parent directories (mode 0755, minus the umask);
/// 2. writes the body to a new temporary file in this process's area `<root>/.lakemark-tmp/<pid>-<random>/`
///    (invisible to readers of final names and to `**/*.json.gz` globs; see ``TemporaryArea``, which also
///    removes the areas of processes that died mid-write the first time it is used);
/// 3. `fsync`s that file and `rename`s it over the final name, so an existing object is replaced atomically;
/// 4. after all objects are in place, `fsync`s every directory whose entries changed (the directories holding
///    the objects and the parents of newly created directories).
///
/// When one call holds at least ``batchSyncThreshold`` objects, steps 3 and 4 are batched instead: every
/// temporary file is written, then one `syncfs(2)` makes all of them durable, then all are renamed into place,
/// then a second `syncfs` makes the renames and new directories durable. Two file-system flushes replace two
/// `fsync`s per object, which is what makes batches spanning many partitions cheap; on a volume shared with
/// other busy writers the flush also covers their data (set the threshold to `Int.max` to avoid that).
/// ``makeStaging(objectCount:)`` offers the same batched sequence to a caller that hands its objects over one at a
/// time as each is ready (``LocalDirectoryStaging``: directories and temporary file at once, the rest on commit).
///
/// Objects of one call are written by up to ``maxParallelWrites`` threads at once; `put` returns only when
/// all of them are durable. On a failure, the temporary file of the failing object is removed, objects not yet
/// started are skipped, and the first error is thrown.
public final class LocalDirectorySink: ObjectSink {
    /// The directory objects are stored under; created on first use if missing.
    public let root: String
    /// The largest number of objects written at the same time. Default: 4.
    public let maxParallelWrites: Int
    /// The permission bits of stored files, before the umask. Default: `0o644`.
    public let fileMode: mode_t
    /// Calls with at least this many objects are made durable with two `syncfs` calls instead of per-object
    /// `fsync`s. Default: 8.
    public let batchSyncThreshold: Int

    /// The permission bits of created directories, before the umask.
    private static let directoryMode: mode_t = 0o755
    /// Where this process writes objects before renaming them into place.
    private let temporaryArea: TemporaryArea
    /// Temporary files of failed calls that could not be removed then (a read-only or immutable area), removed after
    /// the next call that succeeds; at most ``strandedLimit`` are remembered (the next process removes the rest).
    private let strandedTemporaries = Mutex([String]())
    /// The most temporary files ``strandedTemporaries`` remembers.
    static let strandedLimit = 100_000

    /// Creates a sink; nothing is touched on disk until the first call.
    ///
    /// - Parameters:
    ///   - root: The root directory (absolute, or relative to the working directory). A trailing `/` is ignored.
    ///   - maxParallelWrites: The largest number of objects written at once; values below 1 mean 1. Default: 4.
    ///   - fileMode: The permission bits of stored files, before the umask. Default: `0o644`.
    ///   - batchSyncThreshold: Object count from which a call syncs the file system as a whole. Default: 8.
    public init(root: String, maxParallelWrites: Int = 4, fileMode: mode_t = 0o644, batchSyncThreshold: Int = 8) {
        var trimmed = root
        while trimmed.count > 1 && trimmed.hasSuffix("/") {
            trimmed.removeLast()
        }
        self.root = trimmed.isEmpty ? "." : trimmed
        self.maxParallelWrites = max(1, maxParallelWrites)
        self.fileMode = fileMode
        self.batchSyncThreshold = max(1, batchSyncThreshold)
        self.temporaryArea = TemporaryArea(root: self.root)
    }

    /// Removes this process's temporary area (empty once no write runs), so a clean stop leaves nothing behind.
    public func close() {
        temporaryArea.release()
    }

    /// Temporary files that processes which died mid-write (for example by `SIGKILL`) left behind, removed by
    /// this sink the first time it wrote or checked the root.
    public var abandonedTemporaryFilesRemoved: Int { temporaryArea.removedFiles }

    /// `local directory <root>`.
    public var description: String { "local directory \(root)" }

    /// Stores the objects durably; see the type documentation for the exact sequence.
    ///
    /// - Parameter objects: The objects to store; keys must be valid and distinct.
    /// - Throws: ``SinkError``: `invalidKey` (checked for all keys before anything is written), `diskFull`,
    ///   `permissionDenied` or `ioError`.
    public func put(_ objects: [SinkObject]) throws(SinkError) {
        guard !objects.isEmpty else { return }
        var plans: [WritePlan] = []
        plans.reserveCapacity(objects.count)
        var seenKeys = Set<String>()
        for (index, object) in objects.enumerated() {
            let parts = try SinkKey.split(object.key)
            guard seenKeys.insert(object.key).inserted else { throw Self.duplicateKeyError(object.key) }
            plans.append(WritePlan(index: index, directories: parts.directories, name: parts.name))
        }

        let changedDirectories = try prepareDirectories(for: plans)
        if plans.count >= batchSyncThreshold {
            let staging = LocalDirectoryStaging(sink: self)
            do throws(SinkError) {
                try writeAll(plans, objects) { plan, object throws(SinkError) in
                    try staging.stage(object, plan: plan, directoriesMade: true)
                }
            } catch {
                staging.discard()
                throw error
            }
            try staging.commit()
            return
        }
        try writeAll(plans, objects) { plan, object throws(SinkError) in
            try self.writeObject(plan, object)
        }

        for directory in changedDirectories.sorted() {
            if let failure = POSIXFiles.syncDirectory(directory) {
                throw error(failure, doing: "syncing directory", relative: relativePath(directory))
            }
        }
        removeStrandedTemporaries()
    }

    /// Removes a temporary file; one that cannot be removed now is remembered and removed after the next call that
    /// succeeds (what stopped it, such as a read-only area, is then gone).
    func removeTemporary(_ path: String) {
        guard unlink(path) != 0, errno != ENOENT else { return }
        strandedTemporaries.withLock { stranded in
            if stranded.count < Self.strandedLimit { stranded.append(path) }
        }
    }

    /// Removes the temporary files earlier failures could not (see ``removeTemporary(_:)``).
    func removeStrandedTemporaries() {
        let stranded = strandedTemporaries.withLock { stranded in
            var taken: [String] = []
            swap(&taken, &stranded)
            return taken
        }
        for path in stranded { removeTemporary(path) }
    }

    /// Temporary files of failed calls not removed yet (see ``removeTemporary(_:)``).
    public var strandedTemporaryFiles: Int { strandedTemporaries.withLock { $0.count } }

    /// Objects of one batch written to the temporary area as each becomes ready, then made durable and moved into
    /// place together, as ``put(_:)`` stores ``batchSyncThreshold`` objects or more; `nil` for fewer objects.
    public func makeStaging(objectCount: Int) -> (any ObjectStaging)? {
        objectCount >= batchSyncThreshold ? LocalDirectoryStaging(sink: self) : nil
    }

    /// Creates, writes and removes a probe file in the root directory.
    ///
    /// - Throws: ``SinkError`` when the root cannot be created or written.
    public func checkWritable() throws(SinkError) {
        var unused = Set<String>()
        try createRoot(recordingChangesIn: &unused)
        let (probe, fd) = try openTemporaryFile(suffix: "probe", doing: "creating a probe file", for: "")
        let writeFailure = POSIXFiles.writeAll(fd, [UInt8(ascii: "\n")])
        let closeFailure = POSIXFiles.closeFile(fd)
        unlink(probe)
        if let failure = writeFailure ?? closeFailure {
            throw error(failure, doing: "writing a probe file", relative: "")
        }
    }

    // MARK: - Writing

    /// One object's destination.
    struct WritePlan: Sendable {
        /// The position of the object in the `put` argument.
        let index: Int
        /// The directory segments below the root.
        let directories: [String]
        /// The file name.
        let name: String
    }

    /// Writes every planned object, in parallel up to ``maxParallelWrites``; throws the first failure.
    private func writeAll(
        _ plans: [WritePlan],
        _ objects: [SinkObject],
        write: @escaping @Sendable (WritePlan, SinkObject) throws(SinkError) -> Void
    ) throws(SinkError) {
        try forEach(plans.count) { position throws(SinkError) in
            try write(plans[position], objects[plans[position].index])
        }
    }

    /// Runs `work` for positions `0..<count`, in parallel up to ``maxParallelWrites``; after a failure no further
    /// position is started, and the first failure is thrown.
    func forEach(_ count: Int, _ work: @escaping @Sendable (Int) throws(SinkError) -> Void) throws(SinkError) {
        let workers = min(maxParallelWrites, count)
        if workers <= 1 {
            for position in 0..<count { try work(position) }
            return
        }
        let next = Atomic<Int>(0)
        let firstFailure = LockedValue<SinkError?>(nil)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while firstFailure.value == nil {
                let position = next.add(1, ordering: .relaxed).oldValue
                guard position < count else { return }
                do throws(SinkError) {
                    try work(position)
                } catch let failure {
                    firstFailure.withLock { stored in
                        if stored == nil { stored = failure }
                    }
                }
            }
        }
        if let failure = firstFailure.value {
            throw failure
        }
    }

    /// Writes one object: temporary file, `fsync`, `rename`. Removes the temporary file on failure.
    private func writeObject(_ plan: WritePlan, _ object: SinkObject) throws(SinkError) {
        let temporaryPath = try writeTemporary(plan, object, sync: true)
        try moveIntoPlace(temporaryPath, plan, key: object.key)
    }

    /// This process's temporary area (created, locked and swept on first use).
    private func temporaryDirectory() throws(SinkError) -> String {
        switch temporaryArea.path() {
        case .success(let path): return path
        case .failure(let area): throw error(area.failure, doing: area.action, relative: "")
        }
    }

    /// Creates a new file in the temporary area, making a new area once if the current one was removed.
    /// - Parameters:
    ///   - suffix: An optional name suffix.
    ///   - action: What a failure message says was being done.
    ///   - key: The object key, for error messages.
    /// - Returns: The file's path and open descriptor.
    private func openTemporaryFile(
        suffix: String?,
        doing action: String,
        for key: String
    ) throws(SinkError) -> (path: String, fd: Int32) {
        var recreatedArea = false
        var attempt = 0
        while true {
            let directory = try temporaryDirectory()
            let path = directory + "/" + LocalDirectorySink.temporaryName(suffix: suffix)
            switch POSIXFiles.openFile(path, O_WRONLY | O_CREAT | O_EXCL, fileMode) {
            case .success(let fd):
                return (path, fd)
            case .failure(let failure) where failure.code == EEXIST && attempt < 7:
                attempt += 1
            case .failure(let failure) where failure.code == ENOENT && !recreatedArea:
                // The area (or the whole root) was removed under us: make a new one, once.
                temporaryArea.forget(directory)
                var unused = Set<String>()
                try createRoot(recordingChangesIn: &unused)
                recreatedArea = true
            case .failure(let failure):
                throw error(failure, doing: action, relative: key)
            }
        }
    }

    /// Writes an object's body to a new file in the temporary area; returns the file's path.
    func writeTemporary(_ plan: WritePlan, _ object: SinkObject, sync: Bool) throws(SinkError) -> String {
        let key = object.key
        let (temporaryPath, fd) = try openTemporaryFile(suffix: nil, doing: "creating a temporary file for", for: key)
        if let failure = POSIXFiles.writeAll(fd, object.body) {
            _ = POSIXFiles.closeFile(fd)
            removeTemporary(temporaryPath)
            throw error(failure, doing: "writing", relative: key)
        }
        if sync, let failure = POSIXFiles.syncFile(fd) {
            _ = POSIXFiles.closeFile(fd)
            removeTemporary(temporaryPath)
            throw error(failure, doing: "syncing", relative: key)
        }
        if let failure = POSIXFiles.closeFile(fd) {
            removeTemporary(temporaryPath)
            throw error(failure, doing: "closing", relative: key)
        }
        return temporaryPath
    }

    /// Renames a temporary file over the object's final name; removes the temporary file on failure.
    func moveIntoPlace(_ temporaryPath: String, _ plan: WritePlan, key: String) throws(SinkError) {
        let finalPath = path(of: plan.directories) + "/" + plan.name
        if rename(temporaryPath, finalPath) != 0 {
            let failure = POSIXErrno(errno)
            removeTemporary(temporaryPath)
            throw error(failure, doing: "renaming into place", relative: key)
        }
    }

    /// Flushes the file system holding the root (`syncfs`, which reports write-back errors since Linux 5.8).
    func syncFileSystem(doing action: String) throws(SinkError) {
        switch POSIXFiles.openFile(root, O_RDONLY | O_DIRECTORY) {
        case .failure(let failure):
            throw error(failure, doing: action, relative: "")
        case .success(let fd):
            let result = lakemark_syncfs(fd)
            let failure = result == 0 ? nil : POSIXErrno(errno)
            _ = POSIXFiles.closeFile(fd)
            if let failure { throw error(failure, doing: action, relative: "") }
        }
    }

    // MARK: - Directories

    /// Creates the root and every plan's missing directories (new ones are made durable by the caller's later
    /// `fsync` or `syncfs`).
    /// - Returns: The directories whose entries change: the plans' directories and the parents of created ones.
    func prepareDirectories(for plans: [WritePlan]) throws(SinkError) -> Set<String> {
        var changed = Set<String>()
        try createRoot(recordingChangesIn: &changed)
        var created = Set<String>()
        for plan in plans where !plan.directories.isEmpty {
            try createDirectories(plan.directories, known: &created, changed: &changed)
        }
        for plan in plans {
            changed.insert(path(of: plan.directories))
        }
        return changed
    }

    /// Creates the root and its missing ancestors; records the parents of created directories.
    private func createRoot(recordingChangesIn changed: inout Set<String>) throws(SinkError) {
        if POSIXFiles.isDirectory(root) { return }
        let absolute = root.hasPrefix("/")
        var parent = absolute ? "/" : "."
        var current = absolute ? "/" : ""
        for segment in root.split(separator: "/") {
            current += current.isEmpty || current.hasSuffix("/") ? String(segment) : "/" + segment
            switch POSIXFiles.makeDirectory(current, mode: LocalDirectorySink.directoryMode) {
            case .success(let created):
                if created { changed.insert(parent) }
            case .failure(let failure):
                throw error(failure, doing: "creating the root directory", relative: "")
            }
            parent = current
        }
    }

    /// Creates the missing directories of `segments` below the root.
    ///
    /// - Parameters:
    ///   - segments: The directory segments below the root.
    ///   - known: Directories (full paths) already created or seen in this call.
    ///   - changed: Receives the parents of directories this call created.
    private func createDirectories(
        _ segments: [String],
        known: inout Set<String>,
        changed: inout Set<String>
    ) throws(SinkError) {
        let full = path(of: segments)
        if known.contains(full) || POSIXFiles.isDirectory(full) {
            known.insert(full)
            return
        }
        var current = root
        for segment in segments {
            let parent = current
            current += "/" + segment
            if known.contains(current) { continue }
            switch POSIXFiles.makeDirectory(current, mode: LocalDirectorySink.directoryMode) {
            case .success(let created):
                if created { changed.insert(parent) }
                known.insert(current)
            case .failure(let failure):
                throw error(failure, doing: "creating directory", relative: relativePath(current))
            }
        }
    }

    // MARK: - Names and errors

    /// The full path of a directory below the root.
    private func path(of segments: [String]) -> String {
        segments.isEmpty ? root : root + "/" + segments.joined(separator: "/")
    }

    /// A full path made relative to the root (`""` for the root or anything outside it).
    private func relativePath(_ full: String) -> String {
        guard full.hasPrefix(root + "/") else { return "" }
        return String(full.dropFirst(root.count + 1))
    }

    /// The error for a key that appears twice among the objects of one call.
    static func duplicateKeyError(_ key: String) -> SinkError {
        let shown = SinkKey.printable(key)
        return SinkError(
            code: .invalidKey,
            errno: nil,
            path: shown,
            message: "invalid object key '\(shown)': appears more than once in one batch"
        )
    }

    /// A fresh temporary file name, `.tmp-<counter>` (and `-suffix`): unique within the process's own area.
    private static func temporaryName(suffix: String?) -> String {
        let count = temporaryCounter.add(1, ordering: .relaxed).oldValue
        let name = SinkKey.temporaryPrefix + String(count)
        return suffix.map { name + "-" + $0 } ?? name
    }

    private static let temporaryCounter = Atomic<Int>(0)

    /// Maps a system error to a ``SinkError`` whose message names the action and the relative path.
    private func error(_ failure: POSIXErrno, doing action: String, relative: String) -> SinkError {
        let code: SinkError.Code
        switch failure.code {
        case ENOSPC, EDQUOT: code = .diskFull
        case EACCES, EPERM, EROFS: code = .permissionDenied
        default: code = .ioError
        }
        let shown = SinkKey.printable(relative)
        let target = shown.isEmpty ? "" : " '\(shown)'"
        let prefix = code == .diskFull ? "disk full: " : code == .permissionDenied ? "permission denied: " : ""
        let message = "\(prefix)\(action)\(target) failed: \(failure.text) (\(failure.name))"
        return SinkError(code: code, errno: failure.code, path: shown, message: message)
    }
}
