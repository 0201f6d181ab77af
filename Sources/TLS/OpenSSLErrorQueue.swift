import COpenSSLTLS

/// Reads OpenSSL's per-thread error queue.
enum OpenSSLErrorQueue {
    /// Removes every queued error and joins their texts.
    /// - Parameter fallback: The text returned when the queue is empty.
    /// - Returns: For example `error:0A000086:SSL routines::certificate verify failed`.
    static func drain(fallback: String) -> String {
        var buffer = [CChar](repeating: 0, count: 1_024)
        let count = lakemark_tls_drain_errors(&buffer, buffer.count)
        guard count > 0 else { return fallback }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
