import Sink

/// A sink that accepts and forgets objects, for benchmarks.
struct DiscardingSink: ObjectSink {
    /// Names the sink.
    var description: String { "discarding sink" }
    /// Forgets the objects.
    func put(_ objects: [SinkObject]) throws(SinkError) {}
    /// Always writable.
    func checkWritable() throws(SinkError) {}
}
