import Firehose
import Foundation
import Synchronization

/// The access keys requests are checked against: the configured ones, or those of `access_keys_file`, read again
/// when the file changes, so keys rotate without a restart.
///
/// The file is looked at on the request path at most once per ``recheckInterval``: a `stat` (modification time,
/// size and inode, so a Kubernetes Secret volume's symlink swap counts) and, only when that changed, a read. A file
/// that cannot be read or holds no valid key keeps the previous keys in use; ``onChange`` hears about both outcomes
/// (the service logs them, never a key).
final class AccessKeyStore: Sendable {
    /// What a change of the file led to.
    enum Change: Sendable {
        /// The file's keys are now in use.
        case reloaded(keyCount: Int)
        /// The file could not be used; the previous keys stay in use.
        case refused(ConfigurationError)
    }

    /// How often the file is looked at, at most: 5 s.
    static let defaultRecheckInterval = Duration.seconds(5)

    /// The file, or `nil` for fixed keys.
    let file: String?
    /// How often the file is looked at, at most.
    let recheckInterval: Duration
    /// Told when the file changed.
    let onChange: @Sendable (Change) -> Void

    private struct State {
        var verifier: AccessKeyVerifier
        var checkedAt: ContinuousClock.Instant
        var stamp: FileStamp?
    }

    /// What identifies one version of the file.
    private struct FileStamp: Equatable {
        var seconds: Int
        var nanoseconds: Int
        var size: Int64
        var inode: UInt64
    }

    private let state: Mutex<State>

    /// Fixed keys, or the file's when the configuration names one (its keys already read by the loader).
    /// - Parameters:
    ///   - configuration: `access_keys` and `access_keys_file`.
    ///   - recheckInterval: How often the file is looked at, at most. Default: 5 s.
    ///   - onChange: Told when the file changed. Default: nothing.
    init(
        configuration: Configuration,
        recheckInterval: Duration = AccessKeyStore.defaultRecheckInterval,
        onChange: @escaping @Sendable (Change) -> Void = { _ in }
    ) {
        file = configuration.accessKeysFile
        self.recheckInterval = recheckInterval
        self.onChange = onChange
        state = Mutex(
            State(
                verifier: AccessKeyVerifier(keys: configuration.accessKeys),
                checkedAt: .now,
                stamp: configuration.accessKeysFile.flatMap(Self.stamp(of:))
            )
        )
    }

    /// The keys in force now (the file looked at first when it is due).
    var current: AccessKeyVerifier {
        guard let file else { return state.withLock { $0.verifier } }
        let now = ContinuousClock.now
        let due = state.withLock { state -> FileStamp?? in
            guard now - state.checkedAt >= recheckInterval else { return .none }
            state.checkedAt = now
            return .some(state.stamp)
        }
        if case .some(let previous) = due {
            let stamp = Self.stamp(of: file)
            if stamp != previous { reload(file, stamp: stamp) }
        }
        return state.withLock { $0.verifier }
    }

    /// Reads the file again; keeps the previous keys when it is unusable.
    private func reload(_ file: String, stamp: FileStamp?) {
        do {
            let keys = try ConfigurationOption.accessKeys(file: file)
            state.withLock {
                $0.verifier = AccessKeyVerifier(keys: keys)
                $0.stamp = stamp
            }
            onChange(.reloaded(keyCount: keys.count))
        } catch {
            // Remembered, so an unusable file is reported once per change, not on every look.
            state.withLock { $0.stamp = stamp }
            onChange(.refused(error))
        }
    }

    /// The file's modification time, size and inode (following symlinks), or `nil` when it cannot be examined.
    private static func stamp(of path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStamp(
            seconds: info.st_mtim.tv_sec,
            nanoseconds: info.st_mtim.tv_nsec,
            size: Int64(info.st_size),
            inode: UInt64(info.st_ino)
        )
    }
}
