import Synchronization

/// A value shared between threads, protected by a `Mutex`.
///
/// Use it when a class-typed box is needed (for example to share state between closures); inside a type that
/// owns its state, hold a `Mutex` directly. Do not call out (I/O, callbacks) from inside ``withLock(_:)``.
public final class LockedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    /// Creates a box holding `value`.
    ///
    /// - Parameter value: The initial value.
    public init(_ value: Value) {
        mutex = Mutex(value)
    }

    /// Runs `body` with exclusive access to the value.
    ///
    /// - Parameter body: Reads or changes the value; it must not block or call out.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    public func withLock<Result: Sendable, Failure: Error>(
        _ body: (inout Value) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try mutex.withLock { (value: inout sending Value) throws(Failure) -> sending Result in
            try body(&value)
        }
    }

    /// A copy of the current value.
    public var value: Value {
        withLock { $0 }
    }
}
