/// A durable object store that batches are written to before Lakemark answers a Firehose request.
///
/// Implementations: ``LocalDirectorySink`` (the embedded default); an S3 sink can stand behind the same protocol.
public protocol ObjectSink: Sendable, CustomStringConvertible {
    /// Stores every object durably, or throws.
    ///
    /// When `put` returns, each object is complete and durable under its key. Storing an object under an
    /// existing key replaces it whole, so retrying a failed `put` with the same keys is safe. When `put` throws,
    /// no incomplete object is visible; objects of the same call that were already complete may remain.
    ///
    /// - Parameter objects: The objects to store; keys must be distinct.
    /// - Throws: ``SinkError`` describing the first failure.
    func put(_ objects: [SinkObject]) throws(SinkError)

    /// Checks that objects can currently be created (for a readiness probe).
    ///
    /// - Throws: ``SinkError`` when the store cannot be written.
    func checkWritable() throws(SinkError)

    /// A short human-readable description of the store, without secrets (for logs and `/readyz`).
    var description: String { get }

    /// Releases what the store keeps between writes, once no ``put(_:)`` runs or follows (at shutdown).
    func close()

    /// A way to store `objectCount` objects handed over one at a time as each becomes ready, from several threads,
    /// instead of all at once with ``put(_:)``; `nil` when the store gains nothing from it (the default).
    /// - Parameter objectCount: How many objects will be staged.
    func makeStaging(objectCount: Int) -> (any ObjectStaging)?
}

extension ObjectSink {
    /// Nothing to release.
    public func close() {}

    /// No staging: objects are stored with ``put(_:)``.
    public func makeStaging(objectCount: Int) -> (any ObjectStaging)? { nil }
}
