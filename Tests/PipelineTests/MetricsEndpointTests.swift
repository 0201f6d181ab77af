import Codecs
import Foundation
import HTTPClient
import HTTPCore
import JSONBytes
import Pipeline
import Sender
import Testing

/// `GET /metrics` after real traffic: the counters must match what was sent and what the sink holds.
@Suite(.serialized) struct MetricsEndpointTests {
    /// A CloudWatch Logs subscription health check (skipped by the service).
    private static let controlMessage = Array(
        #"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","#.utf8
    ) + Array(#""subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1741312971934,"#.utf8)
        + Array(#""message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}"#.utf8)

    @Test func countersMatchTheSamplesSent() throws {
        let sink = try TestEnvironment.temporaryDirectory()
        let service = try TestEnvironment.startService(TestEnvironment.configuration(sink: sink))
        defer { service.shutdown() }
        let port = service.boundPort
        let status = SendCommand.run(arguments: [
            "--url", "http://127.0.0.1:\(port)/", "--quiet", TestEnvironment.samples.path,
        ])
        #expect(status == 0, "every request must be answered 200")

        var records = 0
        var events = 0
        var wrapped = 0
        for file in try EventFileReader().read(paths: [TestEnvironment.samples.path]).files {
            for record in file.records {
                records += 1
                for event in try ExpectedEvents.of(record: record.bytes) {
                    events += 1
                    if event == nil { wrapped += 1 }
                }
            }
        }
        let client = HTTPClient()
        let (contentType, before) = try Self.scrape(client, port: port)
        #expect(contentType == "text/plain; version=0.0.4; charset=utf-8")
        let batches = try #require(before[#"lakemark_http_requests_total{path="ingest",status="200"}"#])
        #expect(batches >= 1)
        #expect(before["lakemark_records_total"] == Double(records))
        #expect(before["lakemark_events_total"] == Double(events))
        #expect(before["lakemark_wrapped_events_total"] == Double(wrapped))
        #expect(before["lakemark_sink_writes_total"] == batches)
        #expect(before["lakemark_sink_objects_total"] == Double(try TestEnvironment.objectFiles(under: sink).count))
        #expect(before["lakemark_batch_duration_seconds_count"] == batches)
        #expect(before[#"lakemark_batch_duration_seconds_bucket{le="+Inf"}"#] == batches)
        // Every stage of every stored batch is observed, and no stage takes longer than its batch.
        var stageSeconds = 0.0
        for stage in ["decode", "unpack", "extract", "map", "splice", "compress", "write"] {
            #expect(before[#"lakemark_batch_stage_duration_seconds_count{stage="\#(stage)"}"#] == batches)
            let seconds = try #require(before[#"lakemark_batch_stage_duration_seconds_sum{stage="\#(stage)"}"#])
            #expect(seconds >= 0)
            if stage != "unpack" && stage != "extract" { stageSeconds += seconds }
        }
        let batchSeconds = try #require(before["lakemark_batch_duration_seconds_sum"])
        #expect(stageSeconds <= batchSeconds)
        #expect((before[#"lakemark_request_bytes_total{stage="wire"}"#] ?? 0) > 0)
        #expect((before[#"lakemark_request_bytes_total{stage="decoded"}"#] ?? 0) > 0)
        let hits = before["lakemark_mapping_cache_hits_total"] ?? 0
        #expect(hits + (before["lakemark_mapping_cache_misses_total"] ?? 0) > 0)
        #expect(before["lakemark_http_requests_in_flight"] == 1, "the scrape itself is in flight")
        #expect(before[#"lakemark_build_info{version="\#(BuildInfo.version)"}"#] == 1)

        // One control message, one empty record and one event; a GET on the ingest path; an unknown path.
        let batch = [Gzip.deflate(Self.controlMessage), [], Array(#"{"description":"root login"}"#.utf8)]
        var writer = JSONWriter()
        writer.appendRaw(#"{"requestId":"metrics-1","timestamp":1733300000000,"records":["#)
        for (index, record) in batch.enumerated() {
            writer.appendRaw(index == 0 ? #"{"data":""# : #",{"data":""#)
            writer.appendRaw(Base64.encode(record))
            writer.appendRaw(#""}"#)
        }
        writer.appendRaw("]}")
        let headers: HTTPHeaders = ["X-Amz-Firehose-Request-Id": "metrics-1", "Content-Type": "application/json"]
        let post = HTTPClientRequest(
            method: .post, host: "127.0.0.1", port: port, target: "/", headers: headers, body: writer.bytes
        )
        #expect(try client.send(post).status.code == 200)
        let get = HTTPClientRequest(method: .get, host: "127.0.0.1", port: port, target: "/")
        #expect(try client.send(get).status.code == 405)
        let unknown = HTTPClientRequest(method: .get, host: "127.0.0.1", port: port, target: "/nowhere")
        #expect(try client.send(unknown).status.code == 404)

        let (_, after) = try Self.scrape(client, port: port)
        func delta(_ series: String) -> Double { (after[series] ?? 0) - (before[series] ?? 0) }
        #expect(delta(#"lakemark_http_requests_total{path="ingest",status="200"}"#) == 1)
        #expect(after[#"lakemark_http_requests_total{path="ingest",status="405"}"#] == 1)
        #expect(after[#"lakemark_http_requests_total{path="other",status="404"}"#] == 1)
        #expect(after[#"lakemark_http_requests_total{path="metrics",status="200"}"#] == 1, "the earlier scrape")
        #expect(delta("lakemark_records_total") == 3)
        #expect(delta(#"lakemark_records_skipped_total{reason="control_message"}"#) == 1)
        #expect(delta(#"lakemark_records_skipped_total{reason="empty"}"#) == 1)
        #expect(delta("lakemark_events_total") == 1)
        #expect(delta("lakemark_sink_writes_total") == 1)
        #expect(after["lakemark_sink_objects_total"] == Double(try TestEnvironment.objectFiles(under: sink).count))
    }

    @Test func onlyGetIsAllowed() throws {
        let sink = try TestEnvironment.temporaryDirectory()
        let service = try TestEnvironment.startService(TestEnvironment.configuration(sink: sink))
        defer { service.shutdown() }
        let post = HTTPClientRequest(method: .post, host: "127.0.0.1", port: service.boundPort, target: "/metrics")
        let response = try HTTPClient().send(post)
        #expect(response.status.code == 405)
        #expect(response.headers["Allow"] == "GET")
    }

    @Test func aMalformedHeadIsARefusalNotABatchError() throws {
        let sink = try TestEnvironment.temporaryDirectory()
        let service = try TestEnvironment.startService(TestEnvironment.configuration(sink: sink))
        defer { service.shutdown() }
        let port = service.boundPort
        // Not HTTP at all, as a port scanner sends it: no request head is ever parsed.
        let connection = try ProtocolClient.Connection(port: port)
        #expect(connection.send(Array("\u{16}\u{03}\u{01} not a request line\r\n\r\n".utf8)))
        #expect(try connection.readResponse(method: "GET").status == 400, "the server answers 400 before closing")
        let (_, after) = try Self.scrape(HTTPClient(), port: port)
        #expect(after[#"lakemark_http_refusals_total{code="http.invalidRequest"}"#] == 1)
        #expect(after.keys.filter { $0.hasPrefix("lakemark_batch_errors_total") }.isEmpty, "\(after)")
    }

    /// `GET /metrics`: the content type and every sample by its series text (`name{labels}`).
    private static func scrape(_ client: HTTPClient, port: Int) throws -> (String?, [String: Double]) {
        let request = HTTPClientRequest(method: .get, host: "127.0.0.1", port: port, target: "/metrics")
        let response = try client.send(request)
        #expect(response.status.code == 200)
        var samples: [String: Double] = [:]
        for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let value = line[line.index(after: space)...]
            samples[String(line[..<space])] = value == "+Inf" ? .infinity : Double(value)
        }
        return (response.headers["Content-Type"], samples)
    }
}
