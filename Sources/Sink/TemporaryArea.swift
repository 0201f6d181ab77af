#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The directory where one process writes objects before renaming them into place:
/// `<root>/.lakemark-tmp/<pid>-<random>/`.
///
/// The process holds an exclusive `flock(2)` on the `lock` file inside its area for as long as it lives; the
/// kernel drops that lock when the process dies, even by `SIGKILL`. So the first time a process prepares its
/// own area it can tell areas left behind by dead processes (lock obtainable) from areas of live ones (lock
/// held) and removes the abandoned ones with everything in them: a crash mid-write leaves no garbage that
/// outlives the next start. Areas without a lock file are removed only once they are a minute old (their
/// owner may be between `mkdir` and `flock`).
final class TemporaryArea: Sendable {
    /// The name of the directory under the sink root that holds every process's area.
    static let directoryName = ".lakemark-tmp"
    /// The lock file inside each area.
    private static let lockName = "lock"
    /// How old an area without a lock file must be before it counts as abandoned, in seconds.
    private static let unlockedGraceSeconds = 60

    private struct State {
        var path: String?
        var lockDescriptor: Int32 = -1
        var removedFiles = 0
    }

    private let parent: String
    private let state = Mutex(State())

    /// Creates the area's description; nothing is touched on disk until ``path()``.
    /// - Parameter root: The sink root directory.
    init(root: String) {
        parent = root + "/" + Self.directoryName
    }

    /// Temporary files of dead processes removed so far by this process.
    var removedFiles: Int { state.withLock { $0.removedFiles } }

    /// The area's path; the first call creates and locks it and removes abandoned areas.
    /// - Returns: The directory, or the failure and what was being done.
    func path() -> Result<String, AreaFailure> {
        state.withLock { state -> Result<String, AreaFailure> in
            if let path = state.path { return .success(path) }
            if case .failure(let failure) = POSIXFiles.makeDirectory(parent, mode: 0o700) {
                return .failure(AreaFailure(failure: failure, action: "creating the temporary directory"))
            }
            let path = parent + "/" + String(getpid()) + "-" + Self.randomSuffix()
            if case .failure(let failure) = POSIXFiles.makeDirectory(path, mode: 0o700) {
                return .failure(AreaFailure(failure: failure, action: "creating the temporary directory"))
            }
            let descriptor: Int32
            switch POSIXFiles.openFile(path + "/" + Self.lockName, O_RDWR | O_CREAT, 0o600) {
            case .success(let opened): descriptor = opened
            case .failure(let failure):
                return .failure(AreaFailure(failure: failure, action: "creating the temporary lock file"))
            }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                let failure = POSIXErrno(errno)
                _ = POSIXFiles.closeFile(descriptor)
                return .failure(AreaFailure(failure: failure, action: "locking the temporary directory"))
            }
            state.lockDescriptor = descriptor
            state.path = path
            state.removedFiles += removeAbandonedAreas(except: path)
            return .success(path)
        }
    }

    /// Forgets the area at `path` after someone removed it (for example the whole sink root), so that the next
    /// ``path()`` creates and locks a new one.
    /// - Parameter path: The area path that turned out to be gone.
    func forget(_ path: String) {
        state.withLock { state in
            guard state.path == path else { return }
            _ = POSIXFiles.closeFile(state.lockDescriptor)
            state.lockDescriptor = -1
            state.path = nil
        }
    }

    /// Removes the area when it holds nothing but its lock (and the parent directory when no other process has an
    /// area in it), then unlocks; the next ``path()`` would create a new area.
    func release() {
        state.withLock { state in
            guard let path = state.path else { return }
            if Self.entries(of: path) == [Self.lockName] {
                unlink(path + "/" + Self.lockName)
                rmdir(path)
                rmdir(parent)  // fails, harmlessly, while other processes' areas are in it
            }
            _ = POSIXFiles.closeFile(state.lockDescriptor)
            state.lockDescriptor = -1
            state.path = nil
        }
    }

    /// A failed step of preparing the area.
    struct AreaFailure: Error {
        /// The system error.
        let failure: POSIXErrno
        /// What was being done, for the message.
        let action: String
    }

    // MARK: - Sweeping

    /// Removes every other area whose owner is gone; returns the number of files removed.
    private func removeAbandonedAreas(except own: String) -> Int {
        var removed = 0
        for name in Self.entries(of: parent) {
            let area = parent + "/" + name
            guard area != own, POSIXFiles.isDirectory(area), isAbandoned(area) else { continue }
            for file in Self.entries(of: area) where unlink(area + "/" + file) == 0 {
                removed += file == Self.lockName ? 0 : 1
            }
            rmdir(area)
        }
        return removed
    }

    /// Whether no live process holds `area`'s lock (checked by taking it; the lock is released right away).
    private func isAbandoned(_ area: String) -> Bool {
        switch POSIXFiles.openFile(area + "/" + Self.lockName, O_RDWR) {
        case .success(let descriptor):
            defer { _ = POSIXFiles.closeFile(descriptor) }
            return flock(descriptor, LOCK_EX | LOCK_NB) == 0
        case .failure(let failure) where failure.code == ENOENT:
            var status = stat()
            guard stat(area, &status) == 0 else { return false }
            return Int(time(nil)) - Int(status.st_mtim.tv_sec) > Self.unlockedGraceSeconds
        case .failure:
            return false
        }
    }

    /// The names in a directory, without `.` and `..`; empty when it cannot be read.
    private static func entries(of directory: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." {
                names.append(name)
            }
        }
        return names
    }

    private static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt64, radix: 16)
    }
}
