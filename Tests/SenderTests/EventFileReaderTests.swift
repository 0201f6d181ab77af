import Codecs
import Foundation
import Sender
import Testing

@Suite struct EventFileReaderTests {
    let reader = EventFileReader()

    func texts(_ file: EventFile) -> [String] {
        file.records.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    @Test func ndjsonKeepsEachLineExactly() throws {
        let text = "{\"a\":1}\r\n\n   \n  {\"b\" : [1, 2]}  \n{\"c\":\"x\\ny\"}"
        let file = try reader.parse(Array(text.utf8), path: "x.ndjson")
        #expect(file.kind == .ndjson)
        #expect(texts(file) == ["{\"a\":1}", "  {\"b\" : [1, 2]}  ", "{\"c\":\"x\\ny\"}"])
        #expect(file.records.map(\.index) == [0, 1, 2])
        #expect(file.records.allSatisfy { $0.file == "x.ndjson" })
    }

    @Test func ndjsonWithABrokenLineNamesTheLine() throws {
        let error = try #require(throws: SenderError.self) {
            try reader.parse(Array("{\"a\":1}\n{\"b\":2}\n{oops}\n".utf8), path: "bad.ndjson")
        }
        #expect(error.code == .notJSON)
        #expect(error.message.contains("bad.ndjson") && error.message.contains("line 3"))
    }

    @Test func arrayElementsKeepTheirExactBytes() throws {
        let text = "\u{FEFF}[\n  {\"a\": 1,\n   \"b\": \"\\u00e9\"},\n  {\"c\":[ ]}\n]\n"
        let file = try reader.parse(Array(text.utf8), path: "a.json")
        #expect(file.kind == .jsonArray)
        #expect(texts(file) == ["{\"a\": 1,\n   \"b\": \"\\u00e9\"}", "{\"c\":[ ]}"])
    }

    @Test func cloudTrailRecords() throws {
        let text = #"{"Records": [ {"eventName":"A"} ,{"eventName":"B","x":[1,{"y":2}]}]}"#
        let file = try reader.parse(Array(text.utf8), path: "ct.json")
        #expect(file.kind == .cloudTrail)
        #expect(texts(file) == [#"{"eventName":"A"}"#, #"{"eventName":"B","x":[1,{"y":2}]}"#])
    }

    @Test func singleObjectIsOneRecord() throws {
        let text = "\n{\n  \"records\": 3,\n  \"Title\": \"t\"\n}\n"
        let file = try reader.parse(Array(text.utf8), path: "one.json")
        #expect(file.kind == .singleObject)
        #expect(texts(file) == ["{\n  \"records\": 3,\n  \"Title\": \"t\"\n}"])
    }

    @Test func firehoseRequestBodyYieldsDecodedData() throws {
        let gzipped = Gzip.deflate(Array("{\"messageType\":\"DATA_MESSAGE\"}".utf8))
        let body = """
            {"requestId":"r1","timestamp":1,"records":[{"data":"eyJhIjoxfQ=="},{"data":""},\
            {"data":"\(String(decoding: Base64.encode(gzipped), as: UTF8.self))"}]}
            """
        let file = try reader.parse(Array(body.utf8), path: "req.json")
        #expect(file.kind == .firehoseRequest)
        #expect(file.records.map(\.bytes) == [Array("{\"a\":1}".utf8), [], gzipped])
    }

    @Test func transformationEventKeepsGzipRecordsCompressed() throws {
        let gzipped = Gzip.deflate(Array("{\"logEvents\":[]}".utf8))
        let encoded = String(decoding: Base64.encode(gzipped), as: UTF8.self)
        let event = """
            {"invocationId":"i","deliveryStreamArn":"arn","region":"us-east-1","records":[
              {"recordId":"1","approximateArrivalTimestamp":1,"data":"\(encoded)"},
              {"recordId":"2","approximateArrivalTimestamp":1,"data":"SGVsbG8gV29ybGQ="}]}
            """
        let file = try reader.parse(Array(event.utf8), path: "t.json")
        #expect(file.kind == .firehoseTransformation)
        #expect(file.records.map(\.bytes) == [gzipped, Array("Hello World".utf8)])
    }

    @Test func decodedTwinsAreCompactedAndReencoded() throws {
        let twin = """
            {"invocationId":"i","records":[
              {"recordId":"1","data_encoding":"base64(json + newline)","data_decoded":{ "a" : [1, 2],
                "s": "x y\\"z" }},
              {"recordId":"2","data_encoding":"base64(gzip(json))","data_decoded":{"m": "CWL"}}
            ]}
            """
        let file = try reader.parse(Array(twin.utf8), path: "t.decoded.json")
        #expect(file.kind == .decodedFixture)
        #expect(file.records.count == 2)
        #expect(file.records[0].bytes == Array("{\"a\":[1,2],\"s\":\"x y\\\"z\"}\n".utf8))
        #expect(Gzip.isGzip(file.records[1].bytes))
        #expect(try Gzip.inflate(file.records[1].bytes, limit: 1_000) == Array("{\"m\":\"CWL\"}".utf8))
    }

    @Test func cloudWatchLogsLambdaEventYieldsTheGzipData() throws {
        let gzipped = Gzip.deflate(Array("{\"logEvents\":[]}".utf8))
        let event = "{\"awslogs\":{\"data\":\"\(String(decoding: Base64.encode(gzipped), as: UTF8.self))\"}}"
        let file = try reader.parse(Array(event.utf8), path: "cwl.json")
        #expect(file.kind == .cloudWatchLogsEvent)
        #expect(file.records.map(\.bytes) == [gzipped])
    }

    static let malformed: [(String, SenderError.Code)] = [
        (#"{"requestId":"r","records":[{"data":"!!!"}]}"#, .invalidEventFile),
        (#"{"invocationId":"i","records":[{"recordId":"1"}]}"#, .invalidEventFile),
        (#""just a string""#, .invalidEventFile),
        ("42", .invalidEventFile),
        ("{\"a\":1", .notJSON),
        ("# Title\nsome text", .notJSON),
    ]

    @Test(arguments: malformed)
    func malformedContentIsAnError(_ row: (String, SenderError.Code)) throws {
        let error = try #require(throws: SenderError.self) {
            try reader.parse(Array(row.0.utf8), path: "m.json")
        }
        #expect(error.code == row.1)
        #expect(error.message.hasPrefix("m.json: "))
    }

    @Test func directoryWalkIsSortedRecursiveAndSkipsNonJSON() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("b/z.ndjson", "{\"n\":3}\n{\"n\":4}\n")
        try directory.write("b/a.json", "[{\"n\":2}]")
        try directory.write("a.json", "{\"n\":1}")
        try directory.write("LICENSE", "   Apache License\n")
        try directory.write("README.md", "[link](x) is not JSON")
        try directory.write(".hidden.json", "{\"n\":0}")
        try directory.write("empty.ndjson", "\n\n")
        try directory.write("noext", "{\"n\":5}")
        let collection = try reader.read(paths: [directory.path])
        #expect(collection.files.map { ($0.path as NSString).lastPathComponent } ==
            ["a.json", "a.json", "z.ndjson", "empty.ndjson", "noext"])
        #expect(collection.files.map(\.records.count) == [1, 1, 2, 0, 1])
        #expect(collection.records.map { String(decoding: $0.bytes, as: UTF8.self) }.joined() ==
            #"{"n":1}{"n":2}{"n":3}{"n":4}{"n":5}"#)
        let notes = collection.notes.joined(separator: "\n")
        #expect(notes.contains("LICENSE: not JSON"))
        #expect(notes.contains("README.md: not JSON"))
        #expect(notes.contains(".hidden.json: hidden"))
        // Inside a walk, a file with a JSON extension that does not parse is an error, not a skip.
        try directory.write("b/broken.json", "{\"n\": tru}")
        let error = try #require(throws: SenderError.self) { try reader.read(paths: [directory.path]) }
        #expect(error.message.contains("broken.json"))
    }

    @Test func explicitNonJSONFileIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let license = try directory.write("LICENSE", "MIT License\n")
        let error = try #require(throws: SenderError.self) { try reader.read(paths: [license]) }
        #expect(error.code == .notJSON)
        let missing = try #require(throws: SenderError.self) { try reader.read(paths: [directory.path + "/nope"]) }
        #expect(missing.code == .unreadableFile)
        try directory.write("broken/x.json", "{\"a\": tru}")
        let broken = try #require(throws: SenderError.self) { try reader.read(paths: [directory.path + "/broken"]) }
        #expect(broken.code == .notJSON)
    }
}
