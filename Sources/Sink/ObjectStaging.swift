/// Objects of one batch handed to a store one at a time as each becomes ready, then stored together: after
/// ``commit()`` returns, every staged object is complete and durable under its key, as after ``ObjectSink/put(_:)``.
/// Until then none is visible under its key.
public protocol ObjectStaging: Sendable {
    /// Takes one object (from any thread; several may stage at once). Keys must be valid and distinct.
    /// - Throws: ``SinkError`` when the object cannot be staged; the caller then calls ``discard()``.
    func stage(_ object: SinkObject) throws(SinkError)

    /// Makes every staged object durable and visible under its key; the same guarantees as ``ObjectSink/put(_:)``
    /// when it throws.
    func commit() throws(SinkError)

    /// Drops what was staged and not committed.
    func discard()
}
