/// What one batch contained and where its time went; logged per request and summed for metrics.
public struct BatchReport: Sendable {
    /// Seconds spent per pipeline stage.
    public struct Timings: Sendable {
        /// Body inflate, JSON parse and base64 decode.
        public var decode = 0.0
        /// Record gzip, CloudWatch envelopes, event parsing and metadata (summed over the threads of a large batch).
        public var unpack = 0.0
        /// Text extraction (summed over the threads of a large batch).
        public var extract = 0.0
        /// Mapping distinct texts (cache included).
        public var map = 0.0
        /// Splicing and partitioning.
        public var splice = 0.0
        /// gzip of the objects.
        public var compress = 0.0
        /// Durable write.
        public var write = 0.0
    }

    /// Body bytes as received.
    public var wireBytes = 0
    /// Decoded record bytes.
    public var recordBytes = 0
    /// Records in the batch.
    public var records = 0
    /// Empty records (skipped).
    public var emptyRecords = 0
    /// CloudWatch Logs control messages (skipped).
    public var controlMessages = 0
    /// Events written.
    public var events = 0
    /// Events kept inside a `_raw` / `_raw_base64` wrapper.
    public var wrappedEvents = 0
    /// Events with no text to map (written with an empty array).
    public var eventsWithoutText = 0
    /// Parquet output: OCSF records written or spooled.
    public var ocsfRecords = 0
    /// Parquet output: events with no OCSF mapping, written to the raw location.
    public var ocsfUnmapped = 0
    /// Parquet output: converted events that failed validation, written to the raw location.
    public var ocsfInvalid = 0
    /// Distinct texts mapped.
    public var distinctTexts = 0
    /// Objects written (set once the whole batch is durable).
    public var objects = 0
    /// Objects handed to the sink; when the write fails, any number of them may already be stored.
    public var objectsAttempted = 0
    /// NDJSON bytes before compression.
    public var outputBytes = 0
    /// Seconds per stage.
    public var timings = Timings()
    /// What the remote mapper did; `nil` with the embedded engine.
    public var remoteMapping: RemoteMappingReport?

    /// An empty report.
    public init() {}
}
