import Codecs
import Foundation
import Testing

/// Fixtures R1–R12 of firehose-protocol.md §5 (record decoding) against the running service. Every response is
/// also checked against the response contract (P1–P4).
@Suite struct ProtocolRecordTests {
    /// The loopback client and its helpers.
    typealias Client = ProtocolClient

    /// A request whose records' `data` strings are given as sent (not re-encoded).
    static func request(_ requestID: String, data: [String]) -> Client.Request {
        Client.firehose(requestID: requestID, body: Client.body(requestID: requestID, data: data))
    }

    /// Whether an output line is the original JSON object with members spliced before its closing brace.
    static func line(_ line: [UInt8], preserves object: [UInt8]) -> Bool {
        line.starts(with: object.dropLast()) && line.count > object.count && line.last == UInt8(ascii: "}")
    }

    /// R1: `{"data":""}` → accepted and skipped; alone it writes nothing, next to a record only that one is stored.
    @Test func r1EmptyRecord() throws {
        try Client.withService { harness in
            try harness.deliver(Self.request(Client.newRequestID(), data: ["", ""]), status: 200)
            #expect(harness.allFiles().isEmpty)
            try harness.deliver(Self.request(Client.newRequestID(), data: ["", "aGVsbG8=", ""]), status: 200)
            #expect(try harness.lines().map { Client.string("_raw", in: $0) } == ["hello"])
        }
    }

    /// R2 (decided: 400): a record without `data`, with `data` null, a number, an object, or a record that is not
    /// an object.
    @Test func r2RecordWithoutStringData() throws {
        try Client.withService { harness in
            for records in [#"[{}]"#, #"[{"data":null}]"#, #"[{"data":123}]"#, #"[{"data":{"a":1}}]"#,
                            #"["aGVsbG8="]"#, #"[{"data":"aGVsbG8="},{"Data":"aGVsbG8="}]"#] {
                let id = Client.newRequestID()
                let body = #"{"requestId":"\#(id)","timestamp":1733300000000,"records":\#(records)}"#
                let (_, reply) = try harness.deliver(Client.firehose(requestID: id, body: Array(body.utf8)),
                                                     status: 400)
                #expect(reply?.errorMessage?.contains("record") == true, "\(records)")
            }
            #expect(try harness.objectFiles().isEmpty)
        }
    }

    /// R3 (decided: accepted): unpadded base64 decodes like padded.
    @Test func r3UnpaddedBase64() throws {
        try Client.withService { harness in
            try harness.deliver(Self.request(Client.newRequestID(), data: ["aGVsbG8", "aGVsbA", "aGk"]), status: 200)
            #expect(try harness.lines().map { Client.string("_raw", in: $0) } == ["hello", "hell", "hi"])
        }
    }

    /// R4: padding misuse (`aGVsbG8==`, padding inside, lone `=`) and impossible lengths → 400.
    @Test func r4BadPadding() throws {
        try Client.withService { harness in
            for data in ["aGVsbG8==", "aGVsbG8===", "aG=", "=aGVsbG8", "aGVs=bG8=", "=", "aGVsb", "aGVsbG8=aGk="] {
                try harness.deliver(Self.request(Client.newRequestID(), data: [data]), status: 400)
            }
            #expect(try harness.objectFiles().isEmpty)
        }
    }

    /// R5: the URL-safe alphabet (`-`, `_`) → 400; the same bytes in the standard alphabet (also written with JSON
    /// escapes such as `\/`) are stored losslessly.
    @Test func r5URLSafeAlphabet() throws {
        try Client.withService { harness in
            for data in ["-_8=", "_-8", "aGVs-G8="] {
                try harness.deliver(Self.request(Client.newRequestID(), data: [data]), status: 400)
            }
            #expect(try harness.objectFiles().isEmpty)
            let id = Client.newRequestID()
            let escaped = #"{"requestId":"\#(id)","records":[{"data":"+\/8="},{"data":"\u0061GVsbG8="}]}"#
            try harness.deliver(Client.firehose(requestID: id, body: Array(escaped.utf8)), status: 200)
            let lines = try harness.lines()
            #expect(lines.compactMap { Client.string("_raw_base64", in: $0) } == ["+/8="])
            #expect(lines.compactMap { Client.string("_raw", in: $0) } == ["hello"])
        }
    }

    /// R6 (decided: accepted): MIME-style base64 with a line break every 76 characters (LF and CRLF).
    @Test func r6MIMELineBreaks() throws {
        let object = Array(#"{"eventName":"MimeWrapped","detail":"\#(String(repeating: "0123456789", count: 30))"}"#
            .utf8)
        let plain = Array(Client.base64(object).utf8)
        func wrapped(_ separator: String) -> String {
            stride(from: 0, to: plain.count, by: 76)
                .map { String(decoding: plain[$0..<min(plain.count, $0 + 76)], as: UTF8.self) }
                .joined(separator: separator)
        }
        #expect(plain.count > 300)
        try Client.withService { harness in
            try harness.deliver(Self.request(Client.newRequestID(), data: [wrapped("\n"), wrapped("\r\n")]),
                                status: 200)
            let lines = try harness.lines()
            #expect(lines.count == 2)
            #expect(lines.allSatisfy { Self.line($0, preserves: object) })
        }
    }

    /// R7 (decided: accepted): spaces, tabs or `\r\n` around or inside the base64 text are skipped.
    @Test func r7Whitespace() throws {
        try Client.withService { harness in
            let data = ["aGVsbG8=\r\n", " aGVsbG8=", "aGVs bG8=", "aGVsbG8=\t\n", "\r\naGVsbG8gd29ybGQ=\r\n"]
            try harness.deliver(Self.request(Client.newRequestID(), data: data), status: 200)
            #expect(try harness.lines().map { Client.string("_raw", in: $0) }
                == ["hello", "hello", "hello", "hello", "hello world"])
        }
    }

    /// R8 (decided: lenient): non-canonical trailing bits (`aGVsbG9=`) are dropped.
    @Test func r8NonCanonicalTrailingBits() throws {
        try Client.withService { harness in
            try harness.deliver(Self.request(Client.newRequestID(), data: ["aGVsbG9=", "aGVsbG/="]), status: 200)
            #expect(try harness.lines().map { Client.string("_raw", in: $0) } == ["hello", "hello"])
        }
    }

    /// R9: binary, non-UTF-8 record bytes are stored losslessly (`_raw_base64`); valid UTF-8 control bytes are
    /// kept as an escaped `_raw` string.
    @Test func r9BinaryRecord() throws {
        let binary: [UInt8] = [0xFF, 0xFE, 0x00, 0x01, 0x80, 0x7B, 0x22, 0xC3, 0x28, 0x1F, 0x8B]
        let controls: [UInt8] = [0x00, 0x01, 0x1B, 0x5B, 0x33, 0x31, 0x6D, 0x7F, 0x22, 0x5C, 0x0A]
        try Client.withService { harness in
            try harness.deliver(Client.firehose(requestID: Client.newRequestID(), records: [binary, controls]),
                                status: 200)
            let lines = try harness.lines()
            #expect(lines.count == 2)
            #expect(lines.first.flatMap { Client.string("_raw_base64", in: $0) } == Client.base64(binary))
            #expect(lines.last.flatMap { Client.string("_raw", in: $0) } == String(decoding: controls, as: UTF8.self))
        }
    }

    /// R10 (policy: split): an NDJSON record of three objects and a trailing newline → three events, each the
    /// original object; in a record with a non-object line, that line alone is kept as `_raw`, in place.
    @Test func r10NDJSONRecord() throws {
        let objects = [#"{"n":1,"eventName":"A"}"#, #"{"n":2, "eventName" : "B"}"#, #"{"n":3}"#].map { Array($0.utf8) }
        let ndjson = objects.joined(separator: [0x0A]) + [0x0A]
        let mixed = Array("{\"n\":1}\nnot json\n{\"n\":3}\n".utf8)
        try Client.withService { harness in
            try harness.deliver(Client.firehose(requestID: Client.newRequestID(), records: [ndjson, mixed]),
                                status: 200)
            let lines = try harness.lines()
            #expect(lines.count == 6)
            for object in objects { #expect(lines.contains { Self.line($0, preserves: object) }) }
            #expect(lines.contains { Self.line($0, preserves: Array("{\"n\":3}".utf8)) })
            #expect(lines.contains { Client.string("_raw", in: $0) == "not json" })
        }
    }

    /// R11: JSON holding `\u0000`, lone surrogates and ANSI escapes is stored with its original bytes; a record
    /// with a raw control byte inside a string (invalid JSON) is kept as `_raw`.
    @Test func r11EscapesPreserved() throws {
        let escaped = Array(#"{"msg":"a\u0000b","lone":"\ud800","low":"\udc00x","ansi":"\u001b[31mred\u001b[0m"}"#
            .utf8)
        let rawControl = Array("{\"ansi\":\"\u{1B}[31mred\"}".utf8)
        try Client.withService { harness in
            try harness.deliver(Client.firehose(requestID: Client.newRequestID(), records: [escaped, rawControl]),
                                status: 200)
            let lines = try harness.lines()
            #expect(lines.count == 2)
            #expect(lines.contains { Self.line($0, preserves: escaped) })
            #expect(lines.contains { Client.string("_raw", in: $0) == String(decoding: rawControl, as: UTF8.self) })
        }
    }

    /// R12: a gzip of plain JSON (not CloudWatch) is decompressed and enriched in place.
    @Test func r12GzipOfPlainJSON() throws {
        let object = Array(#"{"eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy","n":12}"#.utf8)
        try Client.withService { harness in
            try harness.deliver(Client.firehose(requestID: Client.newRequestID(), records: [Gzip.deflate(object)]),
                                status: 200)
            let lines = try harness.lines()
            #expect(lines.count == 1)
            #expect(lines.first.map { Self.line($0, preserves: object) } == true,
                    "\(lines.first.map { String(decoding: $0, as: UTF8.self) } ?? "")")
            #expect(lines.first.map { String(decoding: $0, as: UTF8.self).contains("\"secberus_compliance\":[") }
                == true)
        }
    }
}
