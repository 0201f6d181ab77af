#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the file system calls the local sink uses; each returns the errno of a failure.
enum POSIXFiles {
    /// `open(2)` retried on `EINTR`.
    static func openFile(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Result<Int32, POSIXErrno> {
        while true {
            let fd = open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return .success(fd) }
            if errno != EINTR { return .failure(POSIXErrno(errno)) }
        }
    }

    /// Writes all of `bytes`, continuing after partial writes and `EINTR`.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> POSIXErrno? {
        bytes.withUnsafeBytes { buffer -> POSIXErrno? in
            var offset = 0
            while offset < buffer.count {
                let chunk = min(buffer.count - offset, 1 << 30)
                let written = write(fd, buffer.baseAddress! + offset, chunk)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return POSIXErrno(written < 0 ? errno : EIO)
                }
            }
            return nil
        }
    }

    /// `fsync(2)` retried on `EINTR`.
    static func syncFile(_ fd: Int32) -> POSIXErrno? {
        while fsync(fd) != 0 {
            if errno != EINTR { return POSIXErrno(errno) }
        }
        return nil
    }

    /// `close(2)`; an error is reported but the descriptor is gone either way.
    static func closeFile(_ fd: Int32) -> POSIXErrno? {
        close(fd) == 0 || errno == EINTR ? nil : POSIXErrno(errno)
    }

    /// Opens a directory and flushes its entries to stable storage.
    ///
    /// File systems that cannot sync directories (`EINVAL`, `ENOTSUP`) are treated as success.
    static func syncDirectory(_ path: String) -> POSIXErrno? {
        switch openFile(path, O_RDONLY | O_DIRECTORY) {
        case .failure(let failure):
            return failure
        case .success(let fd):
            let failure = syncFile(fd)
            _ = closeFile(fd)
            if let failure, failure.code != EINVAL, failure.code != ENOTSUP {
                return failure
            }
            return nil
        }
    }

    /// Creates a directory; returns `true` when it was created, `false` when a directory already existed there.
    static func makeDirectory(_ path: String, mode: mode_t) -> Result<Bool, POSIXErrno> {
        if mkdir(path, mode) == 0 { return .success(true) }
        let failure = errno
        guard failure == EEXIST else { return .failure(POSIXErrno(failure)) }
        return isDirectory(path) ? .success(false) : .failure(POSIXErrno(ENOTDIR))
    }

    /// Tells whether `path` names a directory (following symbolic links).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}

/// A system error number.
struct POSIXErrno: Error, Hashable {
    /// The `errno` value.
    let code: Int32

    /// Wraps an `errno` value.
    init(_ code: Int32) {
        self.code = code
    }

    /// The symbolic name of common error numbers (`ENOSPC`), or `errno N`.
    var name: String {
        switch code {
        case ENOSPC: "ENOSPC"
        case EDQUOT: "EDQUOT"
        case EACCES: "EACCES"
        case EPERM: "EPERM"
        case EROFS: "EROFS"
        case ENOTDIR: "ENOTDIR"
        case EISDIR: "EISDIR"
        case ENOENT: "ENOENT"
        case EEXIST: "EEXIST"
        case EIO: "EIO"
        case EMFILE: "EMFILE"
        case ENFILE: "ENFILE"
        case ENAMETOOLONG: "ENAMETOOLONG"
        case ELOOP: "ELOOP"
        case EINVAL: "EINVAL"
        case EXDEV: "EXDEV"
        case EFBIG: "EFBIG"
        default: "errno \(code)"
        }
    }

    /// The C library's description of the error.
    var text: String {
        String(cString: strerror(code))
    }
}
