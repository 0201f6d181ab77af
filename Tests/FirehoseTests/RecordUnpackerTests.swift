import Codecs
import Firehose
import JSONBytes
import Testing

@Suite struct RecordUnpackerTests {
    typealias T = TestSupport
    let unpacker = RecordUnpacker()

    private func single(_ record: [UInt8]) -> InputEvent? {
        let events = T.events(unpacker.unpack(record))
        return events.count == 1 ? events[0] : nil
    }

    /// The string value of a top-level key in an event's bytes.
    private func field(_ event: InputEvent?, _ key: String) -> String? {
        guard let event, let tape = try? JSONTape(parsing: event.bytes),
            let node = tape.value(forKey: key, in: tape.rootIndex)
        else { return nil }
        return tape.string(node)
    }

    // MARK: - Plain records

    @Test func r1EmptyAndBlankRecordsAreEmpty() {
        for record in [[], T.bytes(" \n\r\t"), Gzip.deflate([]), Gzip.deflate(T.bytes("\n"))] {
            guard case .empty = unpacker.unpack(record) else {
                Issue.record("expected .empty for \(record)")
                continue
            }
        }
    }

    @Test func keepsAJSONObjectByteForByte() {
        let record = T.bytes("  {\"detail-type\":\"GuardDuty Finding\", \"a\" : [1, 2]}\n")
        let event = single(record)
        #expect(event?.bytes == record)
        #expect(event?.isWrapped == false)
        #expect(event?.cloudWatch == nil)
        #expect(event?.decodeNote == nil)
    }

    @Test func wrapsTextArraysAndScalars() {
        let texts = [
            "hello world", "[{\"a\":1}]", "42", "\"quoted\"", "null", "{\"a\":", "{\"a\":1}{\"b\":2}", "{'a':1}",
        ]
        for text in texts {
            let event = single(T.bytes(text))
            #expect(event?.isWrapped == true, "\(text)")
            #expect(field(event, "_raw") == text)
            #expect(event?.decodeNote != nil)
        }
    }

    @Test func wrapsControlCharactersAndUnicodeAsValidJSON() {
        let text = "tab\there\u{0}nul \u{1B}[31mred\u{1B}[0m \"quote\" \\ é 😀"
        let event = single(T.bytes(text))
        #expect(T.isJSONObject(event?.bytes ?? []))
        #expect(field(event, "_raw") == text)
    }

    @Test func r9KeepsBinaryLosslessly() throws {
        let binary: [UInt8] = [0xFF, 0xFE, 0x00, 0x41, 0xC3, 0x28, 0x80]
        let event = single(binary)
        #expect(event?.isWrapped == true)
        let encoded = try #require(field(event, "_raw_base64"))
        #expect(try Base64.decode(T.bytes(encoded)) == binary)
    }

    @Test func r10SplitsNDJSON() {
        let lines = ["{\"n\":1}", "{\"n\":2}", " {\"n\":3} "]
        let record = T.bytes(lines.joined(separator: "\n") + "\n")
        let events = T.events(unpacker.unpack(record))
        #expect(events.map(\.bytes) == lines.map(T.bytes))
        #expect(events.allSatisfy { !$0.isWrapped })
        let crlf = T.events(unpacker.unpack(T.bytes("{\"n\":1}\r\n\r\n{\"n\":2}\r\n")))
        #expect(crlf.map(\.bytes) == [T.bytes("{\"n\":1}\r"), T.bytes("{\"n\":2}\r")])
    }

    @Test func r10WrapsOnlyTheLinesOfNDJSONThatAreNotObjects() {
        let record = T.bytes("{\"n\":1}\n[2]\nnot json\n{\"n\":3}\n")
        let events = T.events(unpacker.unpack(record))
        #expect(events.count == 4)
        #expect(events.map(\.isWrapped) == [false, true, true, false])
        #expect(events[0].bytes == T.bytes("{\"n\":1}") && events[3].bytes == T.bytes("{\"n\":3}"))
        #expect(field(events[1], "_raw") == "[2]" && field(events[2], "_raw") == "not json")
        #expect(events[2].decodeNote == "line 3 of the record is not a JSON object")
    }

    @Test func r10TextWithoutAnyObjectLineIsWrappedWhole() {
        let record = T.bytes("{\n  \"broken\": \n}\n")
        let event = single(record)
        #expect(event?.isWrapped == true)
        #expect(field(event, "_raw") == String(decoding: record, as: UTF8.self))
    }

    @Test func r10DropsAByteOrderMarkBeforeTheRecordOrALine() {
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let object = T.bytes("{\"n\":1}")
        #expect(single(mark + object)?.bytes == object)
        #expect(single(mark + object)?.isWrapped == false)
        let lines = T.events(unpacker.unpack(mark + object + [0x0A] + mark + T.bytes("{\"n\":2}")))
        #expect(lines.map(\.bytes) == [object, T.bytes("{\"n\":2}")])
    }

    @Test func r11PreservesEscapesAndLoneSurrogates() {
        let record = T.bytes("{\"a\":\"\\u0000\",\"b\":\"\\ud800\",\"c\":\"\\u001b[31m\"}")
        let event = single(record)
        #expect(event?.bytes == record)
        #expect(event?.isWrapped == false)
    }

    @Test func r12InflatesGzipJSON() {
        let json = T.bytes("{\"eventName\":\"ConsoleLogin\"}\n")
        let event = single(Gzip.deflate(json))
        #expect(event?.bytes == json)
        #expect(event?.isWrapped == false)
        let multiMember = Gzip.deflate(Array(json.prefix(10))) + Gzip.deflate(Array(json.dropFirst(10)))
        #expect(single(multiMember)?.bytes == json)
    }

    @Test func boundsDeepAndHugeRecords() {
        let deep = T.bytes("{\"a\":" + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "}")
        let event = single(deep)
        #expect(event?.isWrapped == true)
        #expect(T.isJSONObject(event?.bytes ?? []))
        let longString = T.bytes("{\"s\":\"" + String(repeating: "x", count: 2_000_000) + "\"}")
        #expect(single(longString)?.bytes == longString)
    }

    @Test func wrapsCorruptGzipWithTheOriginalBytes() throws {
        var member = Gzip.deflate(T.bytes("{\"a\":1}"))
        member[member.count - 6] ^= 0xFF
        let event = single(member)
        #expect(event?.isWrapped == true)
        #expect(try Base64.decode(T.bytes(try #require(field(event, "_raw_base64")))) == member)
        #expect(field(event, "_decode_error")?.contains("checksum") == true)
        let truncated = Array(Gzip.deflate(T.bytes("{\"a\":1}")).dropLast(5))
        #expect(field(single(truncated), "_decode_error")?.contains("truncated") == true)
    }

    @Test func capsInflatedRecords() throws {
        let small = RecordUnpacker(limits: .init(maxInflatedBytes: 1000))
        let member = Gzip.deflate([UInt8](repeating: 0x20, count: 5000))
        let events = T.events(small.unpack(member))
        #expect(events.count == 1)
        let tape = try JSONTape(parsing: events[0].bytes)
        let error = try #require(tape.value(forKey: "_decode_error", in: 0).flatMap { tape.string($0) })
        #expect(error.contains("size limit"))
    }

    @Test func aBatchInflateBudgetKeepsLaterGzipRecordsWhole() throws {
        let record = Gzip.deflate(T.bytes("{\"message\":\"" + String(repeating: "a", count: 4_000) + "\"}"))
        var budget = 10_000
        let first = T.events(unpacker.unpack(record, inflateBudget: &budget))
        let second = T.events(unpacker.unpack(record, inflateBudget: &budget))
        #expect(first.count == 1 && !first[0].isWrapped && second.count == 1 && !second[0].isWrapped)
        #expect(budget == 10_000 - 2 * 4_014)
        let third = T.events(unpacker.unpack(record, inflateBudget: &budget))
        #expect(third.count == 1 && third[0].isWrapped)
        let tape = try JSONTape(parsing: third[0].bytes)
        let error = try #require(tape.value(forKey: "_decode_error", in: 0).flatMap { tape.string($0) })
        #expect(error.contains("max_inflated_batch_bytes"))
        let kept = try #require(tape.value(forKey: "_raw_base64", in: 0).flatMap { tape.string($0) })
        #expect(try Base64.decode(Array(kept.utf8)) == record, "the record is kept whole")
        // A refused record is charged what it inflated: the rest of the budget and one byte more.
        #expect(budget == -1)
        let text = T.events(unpacker.unpack(T.bytes("{\"a\":1}"), inflateBudget: &budget))
        #expect(text.count == 1 && !text[0].isWrapped, "records without gzip are not limited")
    }

    @Test func recordsThatFailLateSpendTheBatchBudget() throws {
        // Gzip bombs of 16 MiB + 1 (refused by the per-record limit after all that work) and records whose CRC is
        // wrong (refused after their whole output): a batch stops paying for them once its budget is spent.
        let bomb = Gzip.deflate([UInt8](repeating: 0, count: (16 << 20) + 1), level: 9)
        var corrupt = Gzip.deflate([UInt8](repeating: 0x41, count: 1 << 20), level: 9)
        corrupt[corrupt.count - 8] ^= 0xFF
        var budget = 40 << 20
        for _ in 0..<10 {
            let events = T.events(unpacker.unpack(bomb, inflateBudget: &budget))
            #expect(events.count == 1 && events[0].isWrapped)
        }
        #expect(budget < 0, "two bombs and a part of the third spent the 40 MiB")
        var second = 3 << 20
        for _ in 0..<5 { _ = unpacker.unpack(corrupt, inflateBudget: &second) }
        #expect(second == (3 << 20) - 3 * (1 << 20) - 2, "three whole outputs, then one byte each")
    }

    @Test func capsEventsPerRecord() {
        let small = RecordUnpacker(limits: .init(maxEventsPerRecord: 2))
        let record = T.bytes("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n")
        let events = T.events(small.unpack(record))
        #expect(events.count == 1)
        #expect(events.first?.isWrapped == true)
        let document = T.cloudWatchDocument(messages: ["a", "b", "c"])
        let cloudWatch = T.events(small.unpack(Gzip.deflate(document)))
        #expect(cloudWatch.count == 1)
        #expect(field(cloudWatch.first, "_raw") == String(decoding: document, as: UTF8.self))
    }

    // MARK: - CloudWatch Logs

    @Test func c1UnpacksOneDataMessageEvent() throws {
        let message = "{\"eventName\":\"CreateUser\",\"eventSource\":\"iam.amazonaws.com\"}"
        let events = T.events(unpacker.unpack(Gzip.deflate(T.cloudWatchDocument(messages: [message]))))
        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(event.bytes == T.bytes(message))
        #expect(!event.isWrapped)
        let context = try #require(event.cloudWatch)
        #expect(context.owner == "123456789012")
        #expect(context.logGroup == "/aws/lambda/x")
        #expect(context.logStream == "2024/12/04/[$LATEST]abc")
        #expect(context.subscriptionFilters == ["to-firehose"])
        #expect(context.timestampMillis == 1_725_544_035_523)
    }

    @Test func c2IgnoresUnknownEnvelopeFields() {
        let document = T.cloudWatchDocument(
            messages: ["{\"a\":1}", "plain text", "{\"c\":3}"],
            extra: ",\"policyLevel\":\"ACCOUNT_LEVEL_POLICY\"",
            eventExtra: ",\"extractedFields\":{\"@aws.account\":\"999888777666\",\"@aws.region\":\"us-west-2\"}"
        )
        let events = T.events(unpacker.unpack(Gzip.deflate(document)))
        #expect(events.count == 3)
        #expect(events.map(\.isWrapped) == [false, true, false])
        #expect(field(events[1], "_raw") == "plain text")
        #expect(events[1].cloudWatch?.timestampMillis == 1_725_544_035_524)
    }

    @Test func c3DropsControlMessages() {
        guard case .control = unpacker.unpack(Gzip.deflate(T.controlDocument)) else {
            Issue.record("expected .control")
            return
        }
        guard case .control = unpacker.unpack(T.controlDocument) else {
            Issue.record("expected .control for an uncompressed control message")
            return
        }
    }

    @Test func c4MixedBatchKeepsOnlyData() throws {
        let records = [
            Gzip.deflate(T.controlDocument),
            Gzip.deflate(T.cloudWatchDocument(messages: ["{\"a\":1}", "{\"a\":2}"])),
            Gzip.deflate(T.cloudWatchDocument(messages: ["{\"b\":1}"])),
        ]
        let batch = try FirehoseBatchDecoder().decode(body: T.body(records: records), head: T.head())
        var controls = 0
        var events: [InputEvent] = []
        for record in batch.records {
            switch unpacker.unpack(record) {
            case .control: controls += 1
            case .events(let more): events += more
            case .empty: Issue.record("unexpected empty record")
            }
        }
        #expect(controls == 1)
        #expect(events.map(\.bytes) == ["{\"a\":1}", "{\"a\":2}", "{\"b\":1}"].map(T.bytes))
    }

    @Test func c5ParsesAnUncompressedEnvelope() {
        let document = T.cloudWatchDocument(messages: ["{\"a\":1}", "{\"a\":2}"])
        let plain = T.events(unpacker.unpack(document))
        let compressed = T.events(unpacker.unpack(Gzip.deflate(document)))
        #expect(plain.count == 2)
        #expect(plain.map(\.bytes) == compressed.map(\.bytes))
        #expect(plain.map(\.cloudWatch) == compressed.map(\.cloudWatch))
        let ndjson = document + [0x0A] + T.controlDocument + [0x0A] + document
        #expect(T.events(unpacker.unpack(ndjson)).count == 4)
    }

    @Test func c6DoubleGzipIsWrappedWithANote() throws {
        let document = T.cloudWatchDocument(messages: ["{\"a\":1}"])
        let twice = Gzip.deflate(Gzip.deflate(document))
        let events = T.events(unpacker.unpack(twice))
        #expect(events.count == 1)
        #expect(events[0].isWrapped)
        #expect(events[0].decodeNote?.contains("gzip inside gzip") == true)
        #expect(T.isJSONObject(events[0].bytes))
    }

    @Test func c7ParsesLargeSingleLineDocuments() {
        let big = "{\"blob\":\"" + String(repeating: "z", count: 200_000) + "\"}"
        let document = T.cloudWatchDocument(messages: [big, big])
        #expect(document.count > 400_000)
        let events = T.events(unpacker.unpack(Gzip.deflate(document)))
        #expect(events.map(\.bytes) == [T.bytes(big), T.bytes(big)])
    }

    @Test func c8KeepsLongIDsAsStrings() throws {
        let document = T.cloudWatchDocument(messages: ["x"])
        let context = try #require(T.events(unpacker.unpack(document)).first?.cloudWatch)
        #expect(context.id == "3848" + String(repeating: "0", count: 50) + "0")
        #expect(context.id.count == 55)
        let numericID = T.bytes(
            "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{"
                + "\"id\":38480000000000000000000000000000000000000000000000000001,"
                + "\"timestamp\":1.725544035523e12,\"message\":\"m\"}]}"
        )
        let numeric = try #require(T.events(unpacker.unpack(numericID)).first?.cloudWatch)
        #expect(numeric.id == "38480000000000000000000000000000000000000000000000000001")
        #expect(numeric.timestampMillis == 1_725_544_035_523)
        #expect(numeric.owner == "")
    }

    @Test func c9CorruptCloudWatchGzipIsKeptNotDropped() throws {
        var member = Gzip.deflate(T.cloudWatchDocument(messages: ["{\"a\":1}"]))
        member[12] ^= 0x55
        let events = T.events(unpacker.unpack(member))
        #expect(events.count == 1)
        #expect(events[0].isWrapped)
        #expect(field(events[0], "_decode_error")?.hasPrefix("record gzip:") == true)
        #expect(try Base64.decode(T.bytes(try #require(field(events[0], "_raw_base64")))) == member)
    }

    @Test func wrapsOddLogEvents() {
        let document = T.bytes(
            "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"1\",\"logEvents\":[42,{\"id\":\"1\"},"
                + "{\"id\":\"2\",\"message\":{\"inline\":true}},{\"id\":\"3\",\"message\":7},"
                + "{\"id\":\"4\",\"message\":\"{\\\"s\\\":\\\"\\\\u00e9\\\"}\"}]}"
        )
        let events = T.events(unpacker.unpack(document))
        #expect(events.count == 5)
        #expect(events.allSatisfy { T.isJSONObject($0.bytes) })
        #expect(events.map(\.isWrapped) == [true, true, false, true, false])
        #expect(events[0].bytes == T.bytes("{\"_raw\":42}"))
        #expect(events[2].bytes == T.bytes("{\"inline\":true}"))
        #expect(events[4].bytes == T.bytes("{\"s\":\"\\u00e9\"}"))
        #expect(events.allSatisfy { $0.cloudWatch?.owner == "1" })
    }

    @Test func wrapsNonObjectMessagesKeepingTheirEscapes() {
        let document = T.bytes(
            "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"message\":\"bad \\ud800 \\n line\"}]}"
        )
        let event = T.events(unpacker.unpack(document)).first
        #expect(event?.bytes == T.bytes("{\"_raw\":\"bad \\ud800 \\n line\"}"))
    }

    @Test func treatsOtherMessageTypesAsPlainObjects() {
        for record in ["{\"messageType\":\"OTHER\",\"logEvents\":[]}", "{\"messageType\":\"DATA_MESSAGE\"}"] {
            let event = single(T.bytes(record))
            #expect(event?.bytes == T.bytes(record))
            #expect(event?.cloudWatch == nil)
        }
    }

    @Test func dataMessageWithoutEventsHasNoEvents() {
        let document = T.bytes("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[]}")
        guard case .events(let events) = unpacker.unpack(document) else {
            Issue.record("expected .events")
            return
        }
        #expect(events.isEmpty)
    }

    @Test func rendersTheCloudWatchContext() throws {
        let context = CloudWatchLogsContext(
            owner: "123456789012",
            logGroup: "/aws/\"quoted\"",
            logStream: "s",
            subscriptionFilters: ["a", "b"],
            id: "3848",
            timestampMillis: 1_725_544_035_523
        )
        let expected = "{\"owner\":\"123456789012\",\"logGroup\":\"/aws/\\\"quoted\\\"\",\"logStream\":\"s\","
            + "\"subscriptionFilters\":[\"a\",\"b\"],\"id\":\"3848\",\"timestamp\":1725544035523}"
        #expect(context.json() == T.bytes(expected))
        var unknownTime = context
        unknownTime.timestampMillis = nil
        unknownTime.subscriptionFilters = []
        let rendered = String(decoding: unknownTime.json(), as: UTF8.self)
        #expect(rendered.hasSuffix("\"subscriptionFilters\":[],\"id\":\"3848\",\"timestamp\":null}"))
        #expect(T.isJSONObject(unknownTime.json()))
    }
}
