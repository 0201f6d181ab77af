import Dispatch

/// Frees values on a background thread instead of the caller's: a batch's events, texts and buffers are thousands of
/// allocations, and freeing them where the request is answered would delay the answer by a millisecond or more.
public enum BackgroundRelease {
    /// One thread frees what every request hands over, in order.
    private static let queue = DispatchQueue(label: "lakemark.background-release", qos: .utility)

    /// Hands `value` over to be dropped on the background thread (where its last reference, and so its memory, is
    /// released, unless the caller keeps another), or drops it now.
    /// - Parameters:
    ///   - value: What to drop.
    ///   - inBackground: Whether to drop it on the background thread; `false` drops it here, before returning.
    ///     Default: `true`.
    public static func release<Value>(_ value: consuming Value, inBackground: Bool = true) {
        guard inBackground else { return }
        let box = Box(value)
        queue.async { withExtendedLifetime(box) {} }
    }

    /// Carries a value that is only ever dropped, never read, to the background thread.
    private final class Box<Value>: @unchecked Sendable {
        let value: Value

        init(_ value: consuming Value) {
            self.value = value
        }
    }
}
