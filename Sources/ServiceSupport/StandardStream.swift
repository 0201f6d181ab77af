#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output or standard error, written with `write(2)` so that a reader that went away is not a crash.
///
/// Foundation's `FileHandle.write(_:)` traps on `EPIPE` — which is what a command gets once `| head` has read
/// enough, since the service ignores `SIGPIPE` for its sockets. Here, a closed standard output ends the process
/// with status 0 (what `SIGPIPE` would have done, without the signal status); a closed standard error is ignored.
public enum StandardStream: Sendable {
    /// Descriptor 1.
    case output
    /// Descriptor 2.
    case error

    /// Writes all of `text`.
    /// - Parameter text: The text, written as UTF-8 as is (add the newline yourself).
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Writes all of `bytes`.
    /// - Parameter bytes: The bytes.
    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }

    private func write(_ buffer: UnsafeRawBufferPointer) {
        let descriptor: Int32 = self == .output ? 1 : 2
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                if self == .output && errno == EPIPE { exit(0) }
                return
            }
        }
    }
}
