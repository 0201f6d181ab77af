import Codecs
import Enrichment
import Extraction
import Firehose
import JSONBytes
import Mapping
import ServiceSupport
import Sink

extension BatchProcessor {
    /// One event ready to be written: parsed, with its partition and the index of its text.
    struct PreparedEvent {
        var tape: JSONTape
        var partition: ObjectKeyBuilder.Partition
        var textIndex: Int?
        var cloudWatch: [UInt8]?
        /// The OCSF attribute path the text came from (parquet output's enrichment name), when configured.
        var textAttribute: String?
    }

    /// Builds the batch's objects, one per partition, named deterministically from the request id.
    func buildObjects(
        _ batch: FirehoseBatch,
        head: FirehoseRequestHead,
        report: inout BatchReport
    ) throws -> [SinkObject] {
        var clock = StageClock()
        var events: [PreparedEvent] = []
        events.reserveCapacity(batch.records.count)
        var texts: [String] = []
        var textIndexes: [String: Int] = [:]
        // The request timestamp is only a fallback, and only when plausible (milliseconds, 2000-2100).
        let defaultTime = Self.plausible(batch.timestampMillis) ?? UTCTime.nowMillis()
        for record in batch.records {
            report.recordBytes += record.count
            switch unpacker.unpack(record) {
            case .empty:
                report.emptyRecords += 1
            case .control:
                report.controlMessages += 1
            case .events(let inputs):
                for input in inputs {
                    let tape = input.tape ?? Self.parseEvent(input.bytes)
                    if input.isWrapped { report.wrappedEvents += 1 }
                    let metadata = EventMetadata.read(from: tape)
                    let extractStart = StageClock()
                    let extracted = extractor.extract(from: tape)
                    report.timings.extract += extractStart.elapsed()
                    var textIndex: Int?
                    if let text = extracted?.text {
                        if let known = textIndexes[text] {
                            textIndex = known
                        } else {
                            textIndex = texts.count
                            textIndexes[text] = texts.count
                            texts.append(text)
                        }
                    } else {
                        report.eventsWithoutText += 1
                    }
                    let partition = keys.partition(
                        source: configuration.sourceName ?? metadata.kind.name,
                        region: metadata.region ?? head.sourceARNParts?.region,
                        accountID: metadata.accountID ?? input.cloudWatch?.owner ?? head.sourceARNParts?.account,
                        timeMillis: metadata.timeMillis ?? Self.plausible(input.cloudWatch?.timestampMillis)
                            ?? defaultTime
                    )
                    // The context member is added unless the event already has one of that name (never lose data).
                    let context =
                        tape.value(forKey: Self.cloudWatchMember, in: tape.rootIndex) == nil
                        ? input.cloudWatch?.json() : nil
                    var textAttribute: String?
                    if case .field(let path)? = extracted?.origin, let first = path.parts.first {
                        textAttribute = first.joined(separator: ".")
                    }
                    events.append(
                        PreparedEvent(
                            tape: tape,
                            partition: partition,
                            textIndex: textIndex,
                            cloudWatch: context,
                            textAttribute: textAttribute
                        )
                    )
                }
            }
        }
        report.events = events.count
        report.distinctTexts = texts.count
        report.timings.unpack = clock.lap() - report.timings.extract

        let matches = try mapTexts(texts, report: &report)
        let arrays = matches.map { MapAPI.complianceArrayJSON($0) }
        report.timings.map = clock.lap()
        if let lake = securityLake {
            return try buildSecurityLakeObjects(
                events,
                texts: texts,
                matches: matches,
                arrays: arrays,
                requestID: batch.requestID,
                lake: lake,
                report: &report
            )
        }

        var buffers: [ObjectKeyBuilder.Partition: [UInt8]] = [:]
        let emptyArray: [UInt8] = [UInt8(ascii: "["), UInt8(ascii: "]")]
        for event in events {
            var members: [MemberSplicer.Member] = []
            if let cloudWatch = event.cloudWatch {
                members.append(.init(name: Self.cloudWatchMember, value: cloudWatch))
            }
            let compliance = event.textIndex.map { arrays[$0] } ?? emptyArray
            members.append(.init(name: configuration.memberName, value: compliance))
            splicer.splice(event.tape, members: members, into: &buffers[event.partition, default: []])
            buffers[event.partition]?.append(0x0A)
        }
        report.timings.splice = clock.lap()

        var objects: [SinkObject] = []
        for (index, partition) in buffers.keys.sorted().enumerated() {
            let ndjson = buffers[partition] ?? []
            report.outputBytes += ndjson.count
            if configuration.format == .ndjsonZstd {
                let key = keys.key(for: partition, requestID: batch.requestID, index: index, fileExtension: "json.zst")
                let body = Zstd.compress(ndjson, level: configuration.securityLake.zstdLevel)
                objects.append(SinkObject(key: key, body: body))
                continue
            }
            let key = keys.key(for: partition, requestID: batch.requestID, index: index)
            objects.append(SinkObject(key: key, body: Gzip.deflate(ndjson, level: configuration.gzipLevel)))
        }
        report.timings.compress = clock.lap()
        return objects
    }

    /// The member carrying a CloudWatch Logs event's envelope fields.
    static let cloudWatchMember = "cloudwatch_logs"

    /// A time in milliseconds when plausible (2000-2100), else `nil`: request timestamps are never trusted blindly.
    static func plausible(_ millis: Int64?) -> Int64? {
        millis.flatMap { EventMetadata.plausibleTimes.contains($0) ? $0 : nil }
    }

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
