import Codecs
import Firehose
import Testing

@Suite struct FirehoseBatchDecoderTests {
    typealias T = TestSupport
    let decoder = FirehoseBatchDecoder()

    @Test func decodesTheAWSDocumentationExample() throws {
        let body = T.body(dataStrings: ["aGVsbG8=", "aGVsbG8gd29ybGQ="])
        let batch = try decoder.decode(body: body, head: T.head())
        #expect(batch.requestID == T.requestID)
        #expect(batch.timestampMillis == 1_733_300_000_000)
        #expect(batch.records == [T.bytes("hello"), T.bytes("hello world")])
    }

    // MARK: - B1–B6 body encoding

    @Test func b1DecodesAGzipBody() throws {
        let body = T.body(dataStrings: ["aGVsbG8="])
        let batch = try decoder.decode(body: Gzip.deflate(body), head: T.head(contentEncoding: "gzip"))
        #expect(batch.records == [T.bytes("hello")])
    }

    @Test func b2DecodesEveryGzipMember() throws {
        let body = T.body(dataStrings: ["aGVsbG8=", "aGVsbG8gd29ybGQ="])
        let split = body.count / 2
        let twoMembers = Gzip.deflate(Array(body[..<split])) + Gzip.deflate(Array(body[split...]))
        let batch = try decoder.decode(body: twoMembers, head: T.head(contentEncoding: "gzip"))
        #expect(batch.records.count == 2)
    }

    @Test func b3RejectsPlainJSONLabelledGzip() {
        let error = T.decodeError(T.body(dataStrings: ["aGVsbG8="]), head: T.head(contentEncoding: "gzip"))
        #expect(error?.code == .invalidGzipBody)
        #expect(error?.httpStatus == 400)
        #expect(error?.message.contains("not gzip") == true)
        #expect(error?.requestID == T.requestID)
    }

    @Test func b4RejectsATruncatedGzipBody() {
        let member = Gzip.deflate(T.body(dataStrings: ["aGVsbG8="]))
        for cut in [4, 8, member.count / 2] {
            let error = T.decodeError(Array(member.dropLast(cut)), head: T.head(contentEncoding: "gzip"))
            #expect(error?.code == .invalidGzipBody)
            #expect(error?.message.contains("truncated") == true)
        }
    }

    @Test func b5MatchesContentEncodingCaseInsensitively() throws {
        let body = T.body(dataStrings: ["aGVsbG8="])
        for encoding in ["gzip", "GZIP", "x-gzip", "X-Gzip", " gzip ", "identity, gzip"] {
            let batch = try decoder.decode(body: Gzip.deflate(body), head: T.head(contentEncoding: encoding))
            #expect(batch.records.count == 1, "\(encoding)")
        }
        for encoding in ["identity", "IDENTITY", "", nil] as [String?] {
            #expect(try decoder.decode(body: body, head: T.head(contentEncoding: encoding)).records.count == 1)
        }
        for encoding in ["br", "deflate", "zstd", "gzip, br", "gzip, gzip"] {
            let error = T.decodeError(body, head: T.head(contentEncoding: encoding))
            #expect(error?.code == .unsupportedContentEncoding, "\(encoding)")
            #expect(error?.httpStatus == 415)
        }
    }

    @Test func b6StopsAGzipBombWithout413() {
        let member = Gzip.deflate([UInt8](repeating: 0x20, count: 8 << 20), level: 9)
        let bomb = Array([[UInt8]](repeating: member, count: 16).joined())
        let limits = FirehoseBatchDecoder.Limits(maxDecompressedBodyBytes: 4 << 20)
        let error = T.decodeError(bomb, head: T.head(contentEncoding: "gzip"), limits: limits)
        #expect(error?.code == .bodyTooLarge)
        #expect(error?.httpStatus == 400)
    }

    @Test func rejectsAnUncompressedBodyOverTheLimit() throws {
        let body = T.body(dataStrings: ["aGVsbG8="])
        let exact = FirehoseBatchDecoder.Limits(maxDecompressedBodyBytes: body.count)
        #expect(try FirehoseBatchDecoder(limits: exact).decode(body: body, head: T.head()).records.count == 1)
        let under = FirehoseBatchDecoder.Limits(maxDecompressedBodyBytes: body.count - 1)
        #expect(T.decodeError(body, limits: under)?.code == .bodyTooLarge)
    }

    // MARK: - B8–B15 records and JSON

    @Test func b8DecodesTenThousandOneByteRecords() throws {
        let body = T.body(dataStrings: [String](repeating: "eA==", count: 10_000))
        let batch = try decoder.decode(body: body, head: T.head())
        #expect(batch.records.count == 10_000)
        #expect(batch.records.allSatisfy { $0 == [0x78] })
        let tooMany = T.body(dataStrings: [String](repeating: "eA==", count: 10_001))
        let error = T.decodeError(tooMany)
        #expect(error?.code == .tooManyRecords)
        #expect(error?.httpStatus == 400)
    }

    @Test func b9AcceptsARecordOfExactlyTheMaximumSize() throws {
        let record = [UInt8](repeating: 0x41, count: 1_024_000)
        let encoded = T.base64(record)
        #expect(encoded.utf8.count == 1_365_336)
        let batch = try decoder.decode(body: T.body(dataStrings: [encoded]), head: T.head())
        #expect(batch.records == [record])
        let error = T.decodeError(T.body(records: [record + [0x41]]))
        #expect(error?.code == .recordTooLarge)
        #expect(error?.recordIndex == 0)
        #expect(error?.httpStatus == 400)
    }

    @Test func b10AcceptsAnEmptyRecordsArray() throws {
        let batch = try decoder.decode(body: T.body(dataStrings: []), head: T.head())
        #expect(batch.records.isEmpty)
        #expect(batch.requestID == T.requestID)
    }

    @Test func b11RejectsMissingOrNullRecords() {
        let missing = T.bytes("{\"requestId\":\"\(T.requestID)\",\"timestamp\":1}")
        #expect(T.decodeError(missing)?.code == .missingRecords)
        for records in ["null", "{}", "\"x\"", "1"] {
            let body = T.bytes("{\"requestId\":\"\(T.requestID)\",\"records\":\(records)}")
            let error = T.decodeError(body)
            #expect(error?.code == .missingRecords, "\(records)")
            #expect(error?.httpStatus == 400)
        }
    }

    @Test func b12IgnoresUnknownFields() throws {
        let body = T.body(dataStrings: ["aGVsbG8="], extra: ",\"foo\":1,\"bar\":{\"records\":null}")
        #expect(try decoder.decode(body: body, head: T.head()).records.count == 1)
        let recordExtra = T.bytes(
            "{\"requestId\":\"\(T.requestID)\",\"records\":[{\"recordId\":\"r1\",\"data\":\"eA==\"}]}"
        )
        #expect(try decoder.decode(body: recordExtra, head: T.head()).records == [[0x78]])
    }

    @Test func b13ToleratesAnyTimestamp() throws {
        let cases: [(String, Int64?)] = [
            ("1733300000000", 1_733_300_000_000), ("1733300000", 1_733_300_000), ("1.5", nil),
            ("\"1733300000000\"", nil), ("null", nil), ("-3", -3), ("1e3", nil), ("99999999999999999999", nil),
        ]
        for (timestamp, expected) in cases {
            let batch = try decoder.decode(body: T.body(timestamp: timestamp, dataStrings: ["eA=="]), head: T.head())
            #expect(batch.timestampMillis == expected, "\(timestamp)")
        }
        let noTimestamp = T.bytes("{\"requestId\":\"\(T.requestID)\",\"records\":[]}")
        #expect(try decoder.decode(body: noTimestamp, head: T.head()).timestampMillis == nil)
    }

    @Test func b14RejectsInvalidJSON() {
        let valid = T.body(dataStrings: ["eA=="])
        let cases: [[UInt8]] = [
            valid + T.bytes("x"), valid + T.bytes("{}"), Array(valid.dropLast()), Array(valid.prefix(20)),
            [], T.bytes("   "), T.bytes("{\"requestId\":\"\(T.requestID)\",\"records\":[],}"),
            T.bytes("{\"requestId\":\"") + [0xFF] + T.bytes("\",\"records\":[]}"),
            T.bytes("{\"requestId\":\"\(T.requestID)\",\"records\":[]}").map { $0 == 0x5D ? 0x29 : $0 },
        ]
        for body in cases {
            let error = T.decodeError(body)
            #expect(error?.code == .invalidJSON, "\(String(decoding: body, as: UTF8.self))")
            #expect(error?.httpStatus == 400)
            #expect(error?.requestID == T.requestID)
        }
        var invalidUTF8 = T.bytes("{\"requestId\":\"\(T.requestID)\",\"records\":[],\"x\":\"")
        invalidUTF8 += [0xC3, 0x28] + T.bytes("\"}")
        #expect(T.decodeError(invalidUTF8)?.code == .invalidJSON)
    }

    @Test func b14RejectsDuplicateProtocolFields() {
        let duplicateRecords = T.bytes(
            "{\"requestId\":\"\(T.requestID)\",\"records\":[],\"records\":[{\"data\":\"eA==\"}]}"
        )
        #expect(T.decodeError(duplicateRecords)?.code == .invalidBody)
        let duplicateID = T.bytes("{\"requestId\":\"\(T.requestID)\",\"requestId\":\"other\",\"records\":[]}")
        #expect(T.decodeError(duplicateID)?.code == .invalidBody)
        let duplicateData = T.bytes(
            "{\"requestId\":\"\(T.requestID)\",\"records\":[{\"data\":\"eA==\",\"data\":\"\"}]}"
        )
        let error = T.decodeError(duplicateData)
        #expect(error?.code == .invalidRecord)
        #expect(error?.recordIndex == 0)
        let escapedKey = T.bytes("{\"requestId\":\"\(T.requestID)\",\"rec\\u006frds\":[{\"data\":\"eA==\"}]}")
        #expect(T.decodeError(escapedKey) == nil)
    }

    @Test func b14AcceptsAByteOrderMark() throws {
        let body: [UInt8] = [0xEF, 0xBB, 0xBF] + T.body(dataStrings: ["eA=="])
        #expect(try decoder.decode(body: body, head: T.head()).records == [[0x78]])
        let gzipped = Gzip.deflate(body)
        #expect(try decoder.decode(body: gzipped, head: T.head(contentEncoding: "gzip")).records.count == 1)
    }

    @Test func b15BoundsDeepBodies() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let body = T.body(dataStrings: ["eA=="], extra: ",\"deep\":\(deep)")
        let error = T.decodeError(body)
        #expect(error?.code == .invalidJSON)
        #expect(error?.message.contains("tooDeep") == true)
        let wide = "[" + [String](repeating: "0", count: 300_000).joined(separator: ",") + "]"
        #expect(T.decodeError(T.body(dataStrings: [], extra: ",\"wide\":\(wide)"))?.code == .invalidJSON)
    }

    // MARK: - H3–H5 request ids

    @Test func h3MissingHeaderIDEchoesTheBodyID() {
        let error = T.decodeError(T.body(dataStrings: ["eA=="]), head: T.head(requestID: nil))
        #expect(error?.code == .missingRequestID)
        #expect(error?.httpStatus == 400)
        #expect(error?.requestID == T.requestID)
        let emptyHeader = T.decodeError(T.body(dataStrings: ["eA=="]), head: T.head(requestID: ""))
        #expect(emptyHeader?.code == .missingRequestID)
        let invalidBody = T.decodeError(T.bytes("not json"), head: T.head(requestID: nil))
        #expect(invalidBody?.code == .missingRequestID)
        #expect(invalidBody?.requestID == nil)
        let huge = String(repeating: "x", count: 1_025)
        let tooLong = T.decodeError(T.body(requestID: huge, dataStrings: ["eA=="]), head: T.head(requestID: nil))
        #expect(tooLong?.code == .missingRequestID && tooLong?.requestID == nil)
        #expect(tooLong?.message.contains("1025 bytes, is too long to echo") == true)
        let longest = String(repeating: "y", count: 1_024)
        let echoed = T.decodeError(T.body(requestID: longest, dataStrings: ["eA=="]), head: T.head(requestID: nil))
        #expect(echoed?.requestID == longest)
    }

    @Test func h4MismatchedIDsEchoTheHeaderID() {
        let error = T.decodeError(T.body(requestID: "body-id", dataStrings: ["eA=="]))
        #expect(error?.code == .requestIDMismatch)
        #expect(error?.requestID == T.requestID)
        #expect(error?.message.contains("body-id") == true)
    }

    @Test func h5RequiresANonEmptyBodyID() {
        #expect(T.decodeError(T.body(requestID: "", dataStrings: []))?.code == .missingBodyRequestID)
        let noID = T.bytes("{\"records\":[]}")
        #expect(T.decodeError(noID)?.code == .missingBodyRequestID)
        let numericID = T.bytes("{\"requestId\":42,\"records\":[]}")
        #expect(T.decodeError(numericID)?.code == .missingBodyRequestID)
    }

    @Test func matchesIDsAfterDecodingEscapes() throws {
        let body = T.bytes("{\"requestId\":\"a\\u002Db\",\"records\":[]}")
        #expect(try decoder.decode(body: body, head: T.head(requestID: "a-b")).requestID == "a-b")
    }

    // MARK: - R1–R8 record data

    @Test func r1AcceptsEmptyData() throws {
        let batch = try decoder.decode(body: T.body(dataStrings: ["", "eA==", ""]), head: T.head())
        #expect(batch.records == [[], [0x78], []])
    }

    @Test func r2RejectsRecordsWithoutStringData() {
        let cases = ["{}", "{\"data\":null}", "{\"data\":123}", "{\"data\":[]}", "\"eA==\"", "null"]
        for record in cases {
            let body = T.bytes("{\"requestId\":\"\(T.requestID)\",\"records\":[{\"data\":\"eA==\"},\(record)]}")
            let error = T.decodeError(body)
            #expect(error?.code == .invalidRecord, "\(record)")
            #expect(error?.recordIndex == 1)
            #expect(error?.message.hasPrefix("record 1:") == true)
        }
    }

    @Test func r3AcceptsUnpaddedBase64() throws {
        let batch = try decoder.decode(body: T.body(dataStrings: ["aGVsbG8"]), head: T.head())
        #expect(batch.records == [T.bytes("hello")])
    }

    @Test func r4RejectsPaddingMisuse() {
        let error = T.decodeError(T.body(dataStrings: ["eA==", "aGVsbG8=="]))
        #expect(error?.code == .invalidBase64)
        #expect(error?.recordIndex == 1)
        #expect(error?.httpStatus == 400)
    }

    @Test func r5RejectsTheURLSafeAlphabet() {
        #expect(T.decodeError(T.body(dataStrings: ["-_8="]))?.code == .invalidBase64)
        #expect(T.decodeError(T.body(dataStrings: ["Pz8_"]))?.code == .invalidBase64)
    }

    @Test func r6AcceptsEscapedMIMELineBreaks() throws {
        let payload = (0..<200).map { UInt8(truncatingIfNeeded: $0 * 3) }
        let encoded = T.base64(payload)
        var lines: [String] = []
        var rest = Substring(encoded)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(76)))
            rest = rest.dropFirst(76)
        }
        let lf = lines.joined(separator: "\\n")
        let crlf = lines.joined(separator: "\\r\\n")
        let batch = try decoder.decode(body: T.body(dataStrings: [lf, crlf]), head: T.head())
        #expect(batch.records == [payload, payload])
    }

    @Test func r7AcceptsTrailingWhitespace() throws {
        let batch = try decoder.decode(body: T.body(dataStrings: ["aGVsbG8=\\r\\n", "aGVs bG8= "]), head: T.head())
        #expect(batch.records == [T.bytes("hello"), T.bytes("hello")])
    }

    @Test func r8AcceptsNonCanonicalTrailingBits() throws {
        let batch = try decoder.decode(body: T.body(dataStrings: ["aGVsbG9="]), head: T.head())
        #expect(batch.records == [T.bytes("hello")])
    }

    @Test func acceptsEscapedSolidusInBase64() throws {
        let batch = try decoder.decode(body: T.body(dataStrings: ["Pz8\\/"]), head: T.head())
        #expect(batch.records == [[0x3F, 0x3F, 0x3F]])
    }

    @Test func messagesStayWithinTheFirehoseLimit() {
        let longID = String(repeating: "é", count: 10_000)
        let error = T.decodeError(T.body(requestID: longID, dataStrings: []))
        #expect(error?.code == .requestIDMismatch)
        #expect((error?.message.utf16.count ?? .max) <= 8192)
    }
}
