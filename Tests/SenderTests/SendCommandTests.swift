import Codecs
import Foundation
import Sender
import Testing

/// End-to-end runs of `lakemark send` against a loopback Python server.
@Suite struct SendCommandTests {
    struct Run {
        var status: Int32
        var output: String
    }

    func send(_ arguments: [String], environment: [String: String] = [:]) -> Run {
        let collector = LineCollector()
        let command = SendCommand(environment: environment, output: collector.append, errorOutput: collector.append)
        let status = command.run(arguments: arguments + ["--timeout", "20"])
        return Run(status: status, output: collector.text)
    }

    /// The records inside a logged request body (inflated first when gzip).
    func records(of request: LoopbackFirehoseServer.LoggedRequest) throws -> (id: String, records: [[UInt8]]) {
        let json = request.header("Content-Encoding") == "gzip" ? try Gzip.inflate(request.body, limit: 1 << 28)
            : request.body
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        let items = try #require(object["records"] as? [[String: String]])
        let decoded = try items.map { item -> [UInt8] in
            let text = try #require(item["data"])
            return [UInt8](try #require(Data(base64Encoded: text)))
        }
        #expect(object["timestamp"] is NSNumber)
        return (try #require(object["requestId"] as? String), decoded)
    }

    /// Writes a small mixed input tree and returns its directory and the records expected, in order.
    func makeInput() throws -> (TemporaryDirectory, [[UInt8]]) {
        let directory = try TemporaryDirectory()
        let gzipped = Gzip.deflate(Array("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[]}".utf8))
        let gzippedBase64 = String(decoding: Base64.encode(gzipped), as: UTF8.self)
        try directory.write("README.md", "# not events")
        try directory.write("a.ndjson", "{\"n\":1}\n{\"n\":2, \"pad\":\"\(String(repeating: "x", count: 3_000))\"}\n")
        try directory.write("b.json", "[{\"n\":3},\n {\"n\":4}]")
        try directory.write("c/t.json", """
            {"invocationId":"i","records":[{"recordId":"r","data":"\(gzippedBase64)"},\
            {"recordId":"s","data":"eyJuIjo1fQ=="}]}
            """)
        let expected = [
            "{\"n\":1}", "{\"n\":2, \"pad\":\"\(String(repeating: "x", count: 3_000))\"}", "{\"n\":3}", "{\"n\":4}",
        ].map { Array($0.utf8) } + [gzipped, Array("{\"n\":5}".utf8)]
        return (directory, expected)
    }

    @Test func sendsEveryRecordWithFirehoseHeadersAcrossSeveralRequests() throws {
        let server = try LoopbackFirehoseServer.start()
        defer { server.stop() }
        let (input, expected) = try makeInput()
        defer { input.remove() }
        let run = send(
            [
                "--url", server.url("/ingest?tenant=t1").absoluteString, "--max-batch-mib", "0.002",
                "--common-attributes", #"{"commonAttributes":{"env":"test"}}"#, "--source-arn", "arn:src", input.path,
            ],
            environment: ["LAKEMARK_SEND_ACCESS_KEY": "key-from-env"]
        )
        #expect(run.status == 0, "\(run.output)")
        let requests = try server.requests()
        #expect(requests.count >= 2)
        var received: [[UInt8]] = []
        for request in requests {
            #expect(request.path == "/ingest?tenant=t1")
            #expect(request.header("Content-Type") == "application/json")
            #expect(request.header("X-Amz-Firehose-Protocol-Version") == "1.0")
            #expect(request.header("X-Amz-Firehose-Source-Arn") == "arn:src")
            #expect(request.header("X-Amz-Firehose-Access-Key") == "key-from-env")
            #expect(request.header("X-Amz-Firehose-Common-Attributes") == #"{"commonAttributes":{"env":"test"}}"#)
            #expect(request.header("User-Agent") == "lakemark-send/\(SendCommand.version)")
            #expect(request.header("Content-Encoding") == nil)
            #expect(request.header("Content-Length") == String(request.body.count))
            let body = try records(of: request)
            #expect(body.id == request.header("X-Amz-Firehose-Request-Id"))
            received += body.records
        }
        #expect(received == expected)
        #expect(Set(requests.map { $0.header("X-Amz-Firehose-Request-Id") }).count == requests.count)
        #expect(run.output.contains("a.ndjson: ndjson, 2 records"))
        #expect(run.output.contains("c/t.json: firehoseTransformation, 2 records"))
        #expect(run.output.contains("README.md: not JSON"))
        #expect(run.output.contains("sent 6 records from 3 files in \(requests.count) requests"))
        #expect(run.output.contains("delivered (200): \(requests.count), failed: 0"))
        #expect(!run.output.contains("key-from-env"))
    }

    @Test func gzipBodiesAreCompressedAndLabelled() throws {
        let server = try LoopbackFirehoseServer.start()
        defer { server.stop() }
        let (input, expected) = try makeInput()
        defer { input.remove() }
        let run = send(["--url", server.url().absoluteString, "--gzip", "--quiet", "--access-key", "k", input.path])
        #expect(run.status == 0, "\(run.output)")
        #expect(!run.output.contains("a.ndjson"))
        let requests = try server.requests()
        #expect(requests.count == 1)
        #expect(requests[0].header("Content-Encoding") == "gzip")
        #expect(Gzip.isGzip(requests[0].body))
        #expect(try records(of: requests[0]).records == expected)
    }

    static let failures: [(String, String)] = [
        ("/fail503", "HTTP 503: sink busy"),
        ("/gzip", "Content-Encoding gzip"),
        ("/redirect", "HTTP 302"),
        ("/mismatch", "expected"),
        ("/string-ts", "numeric timestamp"),
        ("/no-type", "without Content-Type"),
    ]

    @Test(arguments: failures)
    func protocolViolationsFailTheRun(_ row: (String, String)) throws {
        let server = try LoopbackFirehoseServer.start()
        defer { server.stop() }
        let input = try TemporaryDirectory()
        defer { input.remove() }
        let file = try input.write("e.ndjson", "{\"a\":1}\n")
        let run = send(["--url", server.url(row.0).absoluteString, file])
        #expect(run.status == 1)
        #expect(run.output.contains("FAILED request"))
        #expect(run.output.contains(row.1), "\(run.output)")
        #expect(try server.requests().count == 1)
    }

    @Test func retriesResendTheSameRequest() throws {
        let server = try LoopbackFirehoseServer.start()
        defer { server.stop() }
        let input = try TemporaryDirectory()
        defer { input.remove() }
        let file = try input.write("e.json", "[{\"a\":1},{\"b\":2}]")
        let run = send(["--url", server.url("/flaky").absoluteString, "--retries", "1", file])
        #expect(run.status == 0, "\(run.output)")
        let requests = try server.requests()
        #expect(requests.count == 2)
        #expect(requests[0].header("X-Amz-Firehose-Request-Id") == requests[1].header("X-Amz-Firehose-Request-Id"))
        #expect(requests[0].body == requests[1].body)
        #expect(run.output.contains("attempt 1 failed: HTTP 500: first fails; retrying in"))
        #expect(run.output.contains("delivered (200): 1, failed: 0, attempts: 2"))
    }

    @Test func status413IsNotRetried() throws {
        let server = try LoopbackFirehoseServer.start()
        defer { server.stop() }
        let input = try TemporaryDirectory()
        defer { input.remove() }
        let file = try input.write("e.json", "{\"a\":1}")
        let run = send(["--url", server.url("/413").absoluteString, "--retries", "3", file])
        #expect(run.status == 1)
        #expect(try server.requests().count == 1)
        #expect(run.output.contains("HTTP 413: too large"))
    }

    @Test func concurrentRequestsDeliverEverything() throws {
        let server = try LoopbackFirehoseServer.start()
        defer { server.stop() }
        let input = try TemporaryDirectory()
        defer { input.remove() }
        let lines = (0..<400).map { "{\"n\":\($0),\"pad\":\"\(String(repeating: "p", count: 200))\"}" }
        let file = try input.write("many.ndjson", lines.joined(separator: "\n"))
        let run = send(["--url", server.url().absoluteString, "--concurrency", "4", "--max-batch-mib", "0.01", file])
        #expect(run.status == 0, "\(run.output)")
        let requests = try server.requests()
        #expect(requests.count > 8)
        let received = try requests.flatMap { try records(of: $0).records }.map { String(decoding: $0, as: UTF8.self) }
        #expect(received.sorted() == lines.sorted())
        #expect(Set(requests.map { $0.header("X-Amz-Firehose-Request-Id") }).count == requests.count)
    }

    @Test func largeBodiesArriveIntact() throws {
        let server = try LoopbackFirehoseServer.start()
        defer { server.stop() }
        let input = try TemporaryDirectory()
        defer { input.remove() }
        let records = (0..<3).map { index in "{\"i\":\(index),\"blob\":\"\(String(repeating: "z", count: 900_000))\"}" }
        let file = try input.write("big.ndjson", records.joined(separator: "\n"))
        let run = send(["--url", server.url().absoluteString, file])
        #expect(run.status == 0, "\(run.output)")
        let requests = try server.requests()
        #expect(requests.count == 1)
        #expect(try self.records(of: requests[0]).records.map { String(decoding: $0, as: UTF8.self) } == records)
    }

    @Test func connectionRefusedIsAFailure() throws {
        let input = try TemporaryDirectory()
        defer { input.remove() }
        let file = try input.write("e.json", "{\"a\":1}")
        let run = send(["--url", "http://127.0.0.1:\(try unusedLoopbackPort())/", file])
        #expect(run.status == 1)
        #expect(run.output.contains("FAILED request") && run.output.contains("transport"), "\(run.output)")
    }

    @Test func usageAndInputErrorsExitWithTwo() throws {
        let input = try TemporaryDirectory()
        defer { input.remove() }
        let license = try input.write("LICENSE", "MIT License")
        let big = try input.write("big.ndjson", "{\"a\":\"\(String(repeating: "x", count: 1_024_000))\"}\n")
        try input.write("empty/x.ndjson", "\n")
        #expect(send([]).status == 2)
        #expect(send(["--nope", "x"]).status == 2)
        #expect(send([license]).status == 2)
        #expect(send([input.path + "/empty"]).status == 2)
        let tooLarge = send([big])
        #expect(tooLarge.status == 2)
        #expect(tooLarge.output.contains("big.ndjson: record 0 is 1024008 bytes"))
        let help = send(["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("usage: lakemark send"))
    }

    /// A loopback port with nothing listening (bound, then released).
    func unusedLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        #expect(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
