import Codecs
import Firehose
import JSONBytes

/// One record of a Firehose data-transformation event (`records[]`), as received.
struct TransformationRecord {
    /// The `recordId` string exactly as received, quotes included, echoed in the answer.
    var recordIDJSON: ArraySlice<UInt8>
    /// The `data` string exactly as received, quotes included (`""` when `data` is missing or not a string).
    var dataJSON: ArraySlice<UInt8>
    /// The base64-decoded record, or why it could not be decoded.
    var decoded: Result<[UInt8], TransformationError>
    /// `approximateArrivalTimestamp` (milliseconds since the epoch), when it is a number.
    var arrivalMillis: Int64? = nil

    /// The records of an invocation event and the delivery stream it names.
    struct Event {
        /// The records, in order.
        var records: [TransformationRecord]
        /// `deliveryStreamArn`, when it is a well-formed Firehose stream ARN (region and account fallbacks).
        var deliveryStream: FirehoseSourceARN?
    }

    /// Reads the records of an event.
    /// - Parameters:
    ///   - event: The invocation's event document.
    ///   - maxRecordBytes: The largest decoded record accepted; larger ones are not decoded.
    /// - Returns: The records, in order.
    /// - Throws: ``TransformationError`` when the event is not JSON, has no `records` array, or a record has no
    ///   string `recordId` (it could not be answered).
    static func records(of event: [UInt8], maxRecordBytes: Int) throws(TransformationError) -> Event {
        let tape: JSONTape
        do {
            tape = try JSONTape(parsing: event)
        } catch {
            throw TransformationError(.invalidEvent, "the event is not JSON: \(error)")
        }
        guard tape.kind(tape.rootIndex) == .object,
            let recordsNode = tape.value(forKey: "records", in: tape.rootIndex),
            tape.kind(recordsNode) == .array
        else {
            throw TransformationError(.invalidEvent, "the event has no \"records\" array")
        }
        var records: [TransformationRecord] = []
        records.reserveCapacity(tape.count(recordsNode))
        for (index, node) in tape.children(recordsNode).enumerated() {
            guard tape.kind(node) == .object, let idNode = tape.value(forKey: "recordId", in: node),
                tape.kind(idNode) == .string
            else {
                throw TransformationError(.invalidEvent, "record \(index) has no string \"recordId\"")
            }
            let recordID = tape.rawBytes(idNode)
            let arrival = tape.value(forKey: "approximateArrivalTimestamp", in: node).flatMap { tape.int64($0) }
            guard let dataNode = tape.value(forKey: "data", in: node), tape.kind(dataNode) == .string else {
                let missing = TransformationError(.invalidRecord, "no string \"data\"")
                records.append(
                    TransformationRecord(
                        recordIDJSON: recordID,
                        dataJSON: Self.emptyString[...],
                        decoded: .failure(missing),
                        arrivalMillis: arrival
                    )
                )
                continue
            }
            records.append(
                TransformationRecord(
                    recordIDJSON: recordID,
                    dataJSON: tape.rawBytes(dataNode),
                    decoded: decode(tape, dataNode, maxRecordBytes: maxRecordBytes),
                    arrivalMillis: arrival
                )
            )
        }
        let stream = tape.value(forKey: "deliveryStreamArn", in: tape.rootIndex).flatMap(tape.string)
        return Event(records: records, deliveryStream: stream.flatMap(FirehoseSourceARN.init))
    }

    /// Decodes a `data` string: base64 (standard alphabet; padding optional; whitespace skipped).
    private static func decode(
        _ tape: JSONTape,
        _ node: Int,
        maxRecordBytes: Int
    ) -> Result<[UInt8], TransformationError> {
        let range = tape.byteRange(node)
        guard Base64.encodedCount(of: maxRecordBytes) + 8 >= range.count - 2 else {
            return .failure(TransformationError(.invalidRecord, "over \(maxRecordBytes) bytes"))
        }
        do {
            let decoded: [UInt8]
            if tape.hasEscapes(node) {
                decoded = try Base64.decode(tape.stringBytes(node) ?? [])
            } else {
                decoded = try tape.source.withUnsafeBytes { (bytes) throws(Base64Error) in
                    try Base64.decode(
                        UnsafeRawBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)])
                    )
                }
            }
            guard decoded.count <= maxRecordBytes else {
                return .failure(TransformationError(.invalidRecord, "over \(maxRecordBytes) bytes"))
            }
            return .success(decoded)
        } catch {
            return .failure(TransformationError(.invalidRecord, "\"data\" is not base64: \(error)"))
        }
    }

    /// `""`.
    static let emptyString: [UInt8] = [UInt8(ascii: "\""), UInt8(ascii: "\"")]
}
