import Glibc
import HTTPCore

extension ConnectionIO {
    /// Plaintext bytes below which a response head and body are joined into one TLS record.
    private static let coalesceLimit = 16_384

    /// Reads and decrypts at least one byte, waiting until `deadline` for the readiness OpenSSL asks for.
    static func readTLS(
        _ fd: Int32,
        tls: TLSSession,
        into buffer: UnsafeMutableRawBufferPointer,
        until deadline: ContinuousClock.Instant
    ) throws(Failure) -> Int {
        while true {
            let events: Int32
            switch tls.read(into: buffer) {
            case .bytes(let count):
                return count
            case .endOfFile:
                throw .endOfFile
            case .failed(let code, _):
                throw .failed(code)
            case .wantRead:
                events = POLLIN
            case .wantWrite:
                events = POLLOUT
            }
            let milliseconds = (deadline - .now).pollMilliseconds
            guard milliseconds > 0 else {
                throw .timedOut
            }
            _ = Syscall.wait(fd, for: Int16(events), timeoutMilliseconds: milliseconds)
        }
    }

    /// Encrypts and writes `first` then `second` completely; small pairs go out as one record.
    static func writeTLS(
        _ fd: Int32,
        tls: TLSSession,
        _ first: UnsafeRawBufferPointer,
        _ second: UnsafeRawBufferPointer,
        until deadline: ContinuousClock.Instant
    ) -> Failure? {
        if !second.isEmpty, first.count + second.count <= Self.coalesceLimit {
            var joined = [UInt8](first)
            joined.append(contentsOf: second)
            return joined.withUnsafeBytes { self.writeTLS(fd, tls: tls, $0, until: deadline) }
        }
        if let failure = self.writeTLS(fd, tls: tls, first, until: deadline) {
            return failure
        }
        return self.writeTLS(fd, tls: tls, second, until: deadline)
    }

    private static func writeTLS(
        _ fd: Int32,
        tls: TLSSession,
        _ bytes: UnsafeRawBufferPointer,
        until deadline: ContinuousClock.Instant
    ) -> Failure? {
        var offset = 0
        while offset < bytes.count {
            let events: Int32
            switch tls.write(UnsafeRawBufferPointer(rebasing: bytes[offset...])) {
            case .bytes(let count):
                offset += count
                continue
            case .endOfFile:
                return .endOfFile
            case .failed(let code, _):
                return .failed(code)
            case .wantRead:
                events = POLLIN
            case .wantWrite:
                events = POLLOUT
            }
            let milliseconds = (deadline - .now).pollMilliseconds
            guard milliseconds > 0, Syscall.wait(fd, for: Int16(events), timeoutMilliseconds: milliseconds) else {
                return .timedOut
            }
        }
        return nil
    }
}
