import Codecs

extension LambdaTransformer {
    /// Writes `{"records":[…]}`, enriching every `Ok` record whose enriched answer still fits under
    /// ``responseLimit``, in record order; the others keep their original data.
    /// - Parameters:
    ///   - records: The records as received.
    ///   - plans: How each record is answered.
    ///   - partitionKeys: Per record, its `metadata` member (written after `data`), or `nil` for none.
    ///   - events: The prepared events.
    ///   - arrays: The compliance array per text; `nil` when mapping ran out of time (nothing is enriched).
    ///   - report: Receives the per-result counts.
    /// - Returns: The response document.
    func respond(
        _ records: [TransformationRecord],
        plans: [Plan],
        partitionKeys: [[UInt8]?],
        events: [EventEnricher.Event],
        arrays: [[UInt8]]?,
        report: inout LambdaReport
    ) -> [UInt8] {
        // The answer with every record unenriched; enrichment then spends what is left under the limit.
        var size = Self.documentOverhead + max(records.count - 1, 0)  // the commas between records
        for (index, (record, plan)) in zip(records, plans).enumerated() {
            size += Self.entrySize(record, result: Self.result(plan), dataBytes: record.dataJSON.count)
            size += partitionKeys[index]?.count ?? 0
        }
        var room = responseLimit - size
        var enriched: [[UInt8]?] = Array(repeating: nil, count: records.count)
        for (index, plan) in plans.enumerated() {
            guard case .events(let range) = plan else { continue }
            guard let arrays else {
                report.unenrichedForTime += 1
                continue
            }
            var output: [UInt8] = []
            for event in events[range] {
                enricher.splice(event, arrays: arrays, into: &output)
            }
            report.batch.outputBytes += output.count
            let growth = Base64.encodedCount(of: output.count) + 2 - records[index].dataJSON.count
            if growth <= room {
                room -= growth
                enriched[index] = Base64.encode(output)
            } else {
                report.unenrichedForSize += 1
            }
        }
        var body: [UInt8] = []
        body.reserveCapacity(responseLimit - max(room, 0))
        body.append(contentsOf: Self.documentStart)
        for (index, (record, plan)) in zip(records, plans).enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: Self.recordIDStart)
            body.append(contentsOf: record.recordIDJSON)
            body.append(contentsOf: Self.resultStart)
            body.append(contentsOf: Self.result(plan).utf8)
            body.append(contentsOf: Self.dataStart)
            if let data = enriched[index] {
                body.append(UInt8(ascii: "\""))
                body.append(contentsOf: data)
                body.append(UInt8(ascii: "\""))
            } else {
                body.append(contentsOf: record.dataJSON)
            }
            if let keys = partitionKeys[index] { body.append(contentsOf: keys) }
            body.append(UInt8(ascii: "}"))
            switch plan {
            case .events: report.okRecords += 1
            case .dropped: report.droppedRecords += 1
            case .failed: report.failedRecords += 1
            }
        }
        body.append(contentsOf: Self.documentEnd)
        return body
    }

    /// The Firehose result of a plan.
    private static func result(_ plan: Plan) -> String {
        switch plan {
        case .events: "Ok"
        case .dropped: "Dropped"
        case .failed: "ProcessingFailed"
        }
    }

    /// Bytes of one record's answer (without a separating comma).
    private static func entrySize(_ record: TransformationRecord, result: String, dataBytes: Int) -> Int {
        recordIDStart.count + record.recordIDJSON.count + resultStart.count + result.utf8.count + dataStart.count
            + dataBytes + 1
    }

    /// Bytes of `{"records":[` and `]}`.
    private static var documentOverhead: Int { documentStart.count + documentEnd.count }

    private static let documentStart = Array(#"{"records":["#.utf8)
    private static let documentEnd = Array("]}".utf8)
    private static let recordIDStart = Array(#"{"recordId":"#.utf8)
    private static let resultStart = Array(#","result":""#.utf8)
    private static let dataStart = Array(#"","data":"#.utf8)
}
