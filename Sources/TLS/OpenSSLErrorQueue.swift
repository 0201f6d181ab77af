import COpenSSLTLS

/// Reads OpenSSL's per-thread error queue.
enum OpenSSLErrorQueue {
    /// Removes every queued error and joins their texts.
    /// - Parameter fallback: The text returned when the queue is empty.
    /// - Returns: For example `error:0A000086:SSL routines::certificate verify failed`.
    static func drain(fallback: String) -> String {
        var texts: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 {
                break
            }
            var buffer = [CChar](repeating: 0, count: 256)
            buffer.withUnsafeMutableBufferPointer { ERR_error_string_n(code, $0.baseAddress, $0.count) }
            texts.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return texts.isEmpty ? fallback : texts.joined(separator: "; ")
    }
}
