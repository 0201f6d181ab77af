import Foundation
import HTTPCore
import HTTPServer
import Synchronization
import Testing

/// Clients that try to hold workers: readers that stall, unauthenticated slow bodies, requests stuck in the queue.
@Suite struct HTTPServerHardeningTests {
    /// A server with one worker and the given write timeout, reporting to `recorder`.
    private func oneWorkerServer(_ recorder: EventRecorder, writeTimeout: Duration) throws -> HTTPServer {
        try startServer(recorder: recorder) {
            $0.workerCount = 1
            $0.writeTimeout = writeTimeout
        }
    }

    /// Whether the server reported a write timeout.
    private func reportedWriteTimeout(_ recorder: EventRecorder) -> Bool {
        recorder.all.contains { event in
            if case .serverError(_, let error, _) = event { error.code == .writeTimeout } else { false }
        }
    }

    /// A client that pipelines large requests and never reads the responses (a tiny receive window): once its
    /// unsent responses pile up, the reactor parks the connection instead of handing its next request to a worker,
    /// so the only worker stays free for others, and closes it when the write timeout passes without draining.
    @Test func stalledReaderDoesNotHoldAWorker() throws {
        let recorder = EventRecorder()
        let server = try oneWorkerServer(recorder, writeTimeout: .seconds(6))
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let stalled = try TestSocket(port: server.boundPort, timeoutSeconds: 1, receiveBufferBytes: 4_096)
        let payload = String(repeating: "x", count: 16_384)
        let request = Array("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 16384\r\n\r\n\(payload)".utf8)
        let sent = Atomic<Int>(0)
        let sender = runOnThread {
            // 8 MiB of responses: more than any socket buffer; sending stops (1 s send timeout) once every buffer
            // on the way is full, long before the write timeout.
            for _ in 0..<512 {
                guard stalled.send(request) else { return }
                sent.add(1, ordering: .relaxed)
            }
        }
        #expect(sender.wait(timeout: .now() + 8) == .success, "sending stalls, then times out")
        #expect(sent.load(ordering: .relaxed) < 512, "the server stopped reading the stalled connection")
        #expect(eventually { server.requestsInFlight == 0 }, "no worker is left writing to the stalled reader")
        let probe = try TestSocket(port: server.boundPort, timeoutSeconds: 1)
        probe.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try probe.readResponse().status == .ok, "answered at once, not after the write timeout")
        let deadline = ContinuousClock.now + .seconds(9)
        while !reportedWriteTimeout(recorder), ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(reportedWriteTimeout(recorder), "the parked connection is closed after the write timeout")
    }

    /// A client that reads one large response steadily but slowly (at most 64 KiB every 20 ms, so buffer space
    /// keeps freeing up well within the write timeout) is dropped once writing that response has taken the write
    /// timeout in all, instead of holding the worker for as long as it keeps reading.
    @Test func slowlyReadLargeResponseHoldsAWorkerAtMostTheWriteTimeout() throws {
        let recorder = EventRecorder()
        let server = try oneWorkerServer(recorder, writeTimeout: .seconds(2))
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let reader = try TestSocket(port: server.boundPort)
        // 32 MiB: far more than the socket buffers on both sides hold, so most of it waits for the reader.
        let length = 32 << 20
        reader.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(length)\r\n\r\n")
        reader.send([UInt8](repeating: 0x78, count: length))
        let started = ContinuousClock.now
        var received = 0
        while server.requestsInFlight > 0, ContinuousClock.now - started < .seconds(6) {
            guard let chunk = reader.readSome(), !chunk.isEmpty else { break }
            received += chunk.count
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(eventually { server.requestsInFlight == 0 }, "the worker gave up writing")
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(received < length)
        #expect(reportedWriteTimeout(recorder))
    }

    /// A request refused from its head (a wrong key) gets its answer before any of its body is read: no
    /// `100 Continue`, no wait for a 10 MB body that never comes; the connection is then closed. The right key
    /// still gets `100 Continue` and its body read.
    @Test func refusalFromTheHeadIsSentBeforeTheBody() throws {
        let server = try startServer { $0.workerCount = 1 }
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let expecting = try TestSocket(port: server.boundPort, timeoutSeconds: 3)
        expecting.send(
            "POST /guarded HTTP/1.1\r\nHost: t\r\nX-Key: bad\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
        )
        let refused = try expecting.readResponse()
        #expect(refused.status == .unauthorized)
        #expect(refused.headers["Connection"] == "close")
        #expect(expecting.waitForClose())

        let started = ContinuousClock.now
        let large = try TestSocket(port: server.boundPort, timeoutSeconds: 3)
        large.send("POST /guarded HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n")
        large.send(String(repeating: "x", count: 2_048))
        #expect(try large.readResponse().status == .unauthorized)
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(eventually { server.requestsInFlight == 0 })

        let accepted = try TestSocket(port: server.boundPort)
        accepted.send(
            "POST /guarded HTTP/1.1\r\nHost: t\r\nX-Key: k\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
        )
        #expect(try accepted.readResponse().status.code == 100)
        accepted.send("12345")
        #expect(try accepted.readResponse().body == Array("12345".utf8))
    }
}
