import Codecs
import Enrichment
import Extraction
import Firehose
import JSONBytes
import Mapping

/// The per-event work every entry point shares: unpacking records, extracting and collecting distinct texts,
/// mapping them once per batch, and splicing the result into each event's original bytes. Used by
/// ``BatchProcessor`` (the HTTP endpoint) and ``LambdaTransformer`` (the Lambda transform).
final class EventEnricher: Sendable {
    /// An event ready to be spliced: parsed, with the index of its text in the batch's ``TextTable``.
    struct Event {
        /// The parsed event.
        var tape: JSONTape
        /// Where the event's text sits in the batch's text table; `nil` when it has no text.
        var textIndex: Int?
        /// The `cloudwatch_logs` member value, when the event came from a CloudWatch Logs envelope.
        var cloudWatch: [UInt8]?
        /// The path of the field the text came from (parquet output names its enrichment after it for OCSF input).
        var textAttribute: String?
    }

    /// A batch's distinct texts (with their event type, for the embedded engine), each mapped once.
    struct TextTable {
        /// The texts, in first-seen order.
        private(set) var texts: [String] = []
        /// The event type of each text, parallel to ``texts`` (nil when none is known or passed on).
        private(set) var hints: [EventTypeHint?] = []
        /// The hash of each text with its event type, parallel to ``texts``: computed once, where the text is first
        /// seen, so that joining tables prepared on several threads hashes no text again.
        private(set) var hashes: [Int] = []
        private var indexes: [Key: Int] = [:]

        /// A text with its event type, hashed by the value computed once (the process-seeded hash of both).
        private struct Key: Hashable {
            let text: String
            let hint: EventTypeHint?
            let hash: Int

            static func == (left: Key, right: Key) -> Bool {
                left.hash == right.hash && left.text == right.text && left.hint == right.hint
            }

            func hash(into hasher: inout Hasher) {
                hasher.combine(hash)
            }
        }

        /// The index of `text` with its event type, adding it when new.
        mutating func index(of text: String, hint: EventTypeHint? = nil) -> Int {
            var hasher = Hasher()
            hasher.combine(text)
            hasher.combine(hint)
            return index(of: text, hint: hint, hash: hasher.finalize())
        }

        /// The index of the text of another table, adding it when new.
        mutating func index(ofTextAt position: Int, in other: TextTable) -> Int {
            index(of: other.texts[position], hint: other.hints[position], hash: other.hashes[position])
        }

        private mutating func index(of text: String, hint: EventTypeHint?, hash: Int) -> Int {
            let key = Key(text: text, hint: hint, hash: hash)
            if let known = indexes[key] { return known }
            indexes[key] = texts.count
            texts.append(text)
            hints.append(hint)
            hashes.append(hash)
            return texts.count - 1
        }
    }

    /// The configuration (member name, remote mapping failure policy).
    let configuration: Configuration
    /// Turns records into events (gzip, CloudWatch Logs, wrappers).
    let unpacker: RecordUnpacker
    /// Finds each event's text.
    let extractor: TextExtractor
    /// Maps texts to controls.
    let mapper: any ComplianceMapper
    /// Frameworks, threshold and top-k for every event.
    let mappingOptions: MappingOptions
    /// Splices members into original bytes.
    let splicer = MemberSplicer()
    /// Whether each text goes to the mapper with its event's type (``ComplianceMapper/usesEventTypeHints``: the
    /// embedded engine does; the remote API contract has no place for it, so texts are not split by type for it).
    let passesEventTypes: Bool
    /// The compliance member with its name prepared once; each event sets its value.
    let complianceMember: MemberSplicer.Member
    /// The rendered arrays of texts mapped before, when the mapper's answers are stable and the mapping cache is
    /// on (`mapping_cache_entries` > 0); `nil` otherwise.
    let renderedCache: RenderedComplianceCache?

    /// Creates an enricher.
    /// - Parameters:
    ///   - configuration: The configuration (limits, text sources, member name).
    ///   - mapper: The compliance mapper.
    ///   - mappingOptions: Frameworks, threshold and top-k for every event.
    init(configuration: Configuration, mapper: any ComplianceMapper, mappingOptions: MappingOptions) {
        self.configuration = configuration
        self.unpacker = RecordUnpacker(
            limits: RecordUnpacker.Limits(maxInflatedBytes: configuration.maxInflatedRecordBytes)
        )
        self.extractor = TextExtractor(
            sourceFields: configuration.sourceFields,
            maxTextBytes: configuration.maxTextBytes,
            synthesizes: configuration.synthesizeText
        )
        self.mapper = mapper
        self.mappingOptions = mappingOptions
        self.passesEventTypes = mapper.usesEventTypeHints
        self.complianceMember = MemberSplicer.Member(name: configuration.memberName, value: [])
        self.renderedCache = mapper.answersAreStable && configuration.mappingCacheEntries > 0
            ? RenderedComplianceCache(
                capacity: min(configuration.mappingCacheEntries, RenderedComplianceCache.defaultCapacity)
            ) : nil
    }

    /// Parses an unpacked event, reads its metadata and records its text.
    /// - Parameters:
    ///   - input: The event from ``RecordUnpacker``.
    ///   - texts: The batch's text table; the event's text is added.
    ///   - report: Receives wrapped and text-less counts and the extraction time.
    /// - Returns: The event and its metadata (kind, region, account, time).
    func prepare(
        _ input: InputEvent,
        texts: inout TextTable,
        report: inout BatchReport
    ) -> (event: Event, metadata: EventMetadata) {
        let tape = input.tape ?? Self.parseEvent(input.bytes)
        if input.isWrapped { report.wrappedEvents += 1 }
        let layout = EventLayout(tape)
        let metadata = EventMetadata.read(from: tape, layout: layout)
        let extractStart = StageClock()
        let extracted = extractor.extract(from: tape, layout: layout)
        report.timings.extract += extractStart.elapsed()
        var textIndex: Int?
        if let text = extracted?.text {
            let hint = passesEventTypes
                ? metadata.eventType.map {
                    EventTypeHint(source: metadata.kind.name, type: $0, failed: metadata.failed)
                } : nil
            textIndex = texts.index(of: text, hint: hint)
        } else {
            report.eventsWithoutText += 1
        }
        // The context member is added unless the event already has one of that name (never lose data).
        let context = input.cloudWatch.flatMap {
            tape.value(forKey: Self.cloudWatchMember, in: tape.rootIndex) == nil ? $0.json() : nil
        }
        var textAttribute: String?
        if case .field(let path)? = extracted?.origin, let first = path.parts.first {
            textAttribute = first.joined(separator: ".")
        }
        let event = Event(tape: tape, textIndex: textIndex, cloudWatch: context, textAttribute: textAttribute)
        return (event, metadata)
    }

    /// Appends the event with its members spliced in, then a newline.
    /// - Parameters:
    ///   - event: The prepared event.
    ///   - arrays: The `secberus_compliance` JSON array per text of the batch's text table.
    ///   - output: The buffer to append to.
    func splice(_ event: borrowing Event, arrays: [[UInt8]], into output: inout [UInt8]) {
        var compliance = complianceMember
        if let index = event.textIndex { compliance.value = arrays[index] } else { compliance.value = Self.emptyArray }
        if let cloudWatch = event.cloudWatch {
            var context = Self.cloudWatchTemplate
            context.value = cloudWatch
            splicer.splice(event.tape, members: [context, compliance], into: &output)
        } else {
            splicer.splice(event.tape, members: [compliance], into: &output)
        }
        output.append(0x0A)
    }

    /// The bytes ``splice(_:arrays:into:)`` appends for an event, at most (a replaced member may make it shorter).
    /// - Parameters:
    ///   - event: The prepared event.
    ///   - arrays: The `secberus_compliance` JSON array per text of the batch's text table.
    /// - Returns: The event's size plus its new members and a newline.
    func splicedSizeBound(_ event: borrowing Event, arrays: [[UInt8]]) -> Int {
        var size = event.tape.byteRange(event.tape.rootIndex).count + complianceMember.quotedNameCount + 3
        if let index = event.textIndex { size += arrays[index].count } else { size += Self.emptyArray.count }
        if let count = event.cloudWatch?.count { size += count + Self.cloudWatchTemplate.quotedNameCount + 2 }
        return size
    }

    /// `[]`, the compliance of an event without text.
    static let emptyArray: [UInt8] = [UInt8(ascii: "["), UInt8(ascii: "]")]

    /// The member carrying a CloudWatch Logs event's envelope fields.
    static let cloudWatchMember = "cloudwatch_logs"

    /// The CloudWatch Logs member with its name prepared once; each event sets its value.
    static let cloudWatchTemplate = MemberSplicer.Member(name: cloudWatchMember, value: [])

    /// Parses an event the unpacker produced; it is always one JSON object, but a defect there must not
    /// lose data, so anything unparsable is kept whole as a base64 wrapper.
    static func parseEvent(_ bytes: [UInt8]) -> JSONTape {
        if let tape = try? JSONTape(parsing: bytes), tape.kind(tape.rootIndex) == .object { return tape }
        var writer = JSONWriter(capacity: bytes.count * 4 / 3 + 32)
        writer.appendRaw(#"{"_raw_base64":""#)
        writer.appendRaw(Base64.encode(bytes))
        writer.appendRaw(#""}"#)
        // A base64 wrapper is valid JSON by construction.
        return (try? JSONTape(parsing: writer.bytes)) ?? Self.emptyObject
    }

    /// `{}`, the last resort of ``parseEvent(_:)``.
    static let emptyObject: JSONTape = {
        guard let tape = try? JSONTape(parsing: [UInt8(ascii: "{"), UInt8(ascii: "}")]) else {
            preconditionFailure("{} must parse")
        }
        return tape
    }()
}
