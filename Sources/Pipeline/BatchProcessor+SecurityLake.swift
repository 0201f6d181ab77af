import Codecs
import Enrichment
import JSONBytes
import Mapping
import OCSF
import Sink

extension BatchProcessor {
    /// The member naming why an event went to the raw location.
    static let rawReasonMember = "lakemark_raw_reason"

    /// Parquet output of a batch: OCSF records grouped by partition (written now in direct mode, spooled
    /// durably otherwise) and the raw object of events with no mapping or failing validation.
    /// - Returns: the objects to write now (Parquet objects in direct mode, raw objects always).
    /// - Throws: ``SecurityLakeSpoolError`` when the spool cannot make the batch durable; ``ParquetError`` on a
    ///   defect in the writer.
    func buildSecurityLakeObjects(
        _ events: [PreparedEvent],
        texts: [String],
        matches: [[ControlMatch]],
        arrays: [[UInt8]],
        requestID: String,
        lake: SecurityLakeOutput,
        report: inout BatchReport
    ) throws -> [SinkObject] {
        var clock = StageClock()
        var groups: [SecurityLakePartition: [OCSFRecord]] = [:]
        var spoolLines: [SecurityLakePartition: [UInt8]] = [:]
        var raw: [String: [UInt8]] = [:]
        for prepared in events {
            let event = prepared.event
            // The text's own path names an OCSF attribute only when the input was OCSF already.
            let isOCSF = event.tape.value(forKey: "class_uid", in: event.tape.rootIndex) != nil
            let enrichment = { (attribute: String) -> OCSFEnrichment? in
                guard let index = event.textIndex else { return nil }
                return OCSFEnrichment(
                    attribute: isOCSF ? event.textAttribute ?? attribute : attribute,
                    text: texts[index],
                    matches: matches[index].map(Self.enrichmentMatch),
                    matchesJSON: arrays[index]
                )
            }
            for routed in lake.writer.route(event.tape, enrichment: enrichment) {
                switch routed {
                case .record(let record, let ocsf, let used):
                    report.ocsfRecords += 1
                    let partition = lake.writer.partition(record)
                    if lake.spool != nil {
                        SecurityLakeSpool.appendLine(
                            event: ocsf,
                            enrichment: used,
                            to: &spoolLines[partition, default: []]
                        )
                    } else {
                        groups[partition, default: []].append(record)
                    }
                case .raw(let reason):
                    if reason.hasPrefix("invalid.") { report.ocsfInvalid += 1 } else { report.ocsfUnmapped += 1 }
                    let day = prepared.partition.eventDay
                    let compliance = event.textIndex.map { arrays[$0] } ?? EventEnricher.emptyArray
                    var reasonJSON = JSONWriter(capacity: reason.utf8.count + 2)
                    reasonJSON.appendString(reason)
                    enricher.splicer.splice(
                        event.tape,
                        members: [
                            .init(name: configuration.memberName, value: compliance),
                            .init(name: Self.rawReasonMember, value: reasonJSON.bytes),
                        ],
                        into: &raw[day, default: []]
                    )
                    raw[day]?.append(0x0A)
                }
            }
        }
        report.timings.splice = clock.lap()
        let name = ObjectKeyBuilder.objectName(requestID)
        var objects: [SinkObject] = []
        if let spool = lake.spool {
            try spool.append(requestName: name, groups: spoolLines)
        } else {
            for (index, partition) in groups.keys.sorted().enumerated() {
                let records = groups[partition] ?? []
                let body = try lake.writer.parquet(classUID: partition.classUID, records: records)
                report.outputBytes += body.count
                objects.append(SinkObject(key: lake.writer.key(partition, name: "\(name)-\(index)"), body: body))
            }
        }
        for (index, day) in raw.keys.sorted().enumerated() {
            let ndjson = raw[day] ?? []
            report.outputBytes += ndjson.count
            let key = "\(lake.writer.settings.rawLocation)eventDay=\(day)/\(name)-\(index).json.gz"
            objects.append(SinkObject(key: key, body: Gzip.deflate(ndjson, level: configuration.gzipLevel)))
        }
        report.timings.compress = clock.lap()
        return objects
    }

    /// The OCSF form of a control match.
    static func enrichmentMatch(_ match: ControlMatch) -> OCSFEnrichment.Match {
        OCSFEnrichment.Match(
            frameworkID: match.frameworkID.rawValue,
            controlID: match.controlID,
            family: match.family,
            similarity: match.similarity,
            confidence: match.confidence.rawValue
        )
    }
}
