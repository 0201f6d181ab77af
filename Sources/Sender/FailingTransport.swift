import Foundation

/// A transport that could not be set up (for example TLS without a readable CA bundle): every send fails
/// with the reason, so `lakemark send` reports it per request instead of crashing.
struct FailingTransport: FirehoseTransport {
    /// Why sending is impossible.
    let reason: String

    /// Always throws the reason.
    func post(url: URL, headers: [(String, String)], body: [UInt8]) throws
        -> (status: Int, headers: [(String, String)], body: [UInt8])
    {
        throw SenderError(code: .transportFailure, message: reason)
    }
}
