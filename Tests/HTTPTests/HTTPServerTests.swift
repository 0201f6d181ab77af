import Foundation
import HTTPClient
import HTTPCore
import HTTPServer
import Synchronization
import Testing

@Suite struct HTTPServerTests {
    private func client(readTimeout: Duration = .seconds(5)) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.readTimeout = readTimeout
        configuration.connectTimeout = .seconds(5)
        return HTTPClient(configuration: configuration)
    }

    private func request(
        _ method: HTTPMethod,
        _ target: String,
        port: Int,
        headers: HTTPHeaders = [:],
        body: [UInt8] = []
    ) -> HTTPClientRequest {
        HTTPClientRequest(method: method, host: "127.0.0.1", port: port, target: target, headers: headers, body: body)
    }

    @Test func keepAliveServesSequentialRequestsOnOneConnection() throws {
        let recorder = EventRecorder()
        let server = try startServer(recorder: recorder)
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let socket = try TestSocket(port: server.boundPort)
        socket.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        let first = try socket.readResponse()
        socket.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nping")
        let second = try socket.readResponse()
        #expect(first.status == .ok)
        #expect(first.body == Array("hello".utf8))
        #expect(first.headers["Date"] != nil)
        #expect(first.headers["Connection"] == nil)
        #expect(second.body == Array("ping".utf8))
        #expect(recorder.openedCount == 1)

        let client = self.client()
        for _ in 0..<3 {
            #expect(try client.send(self.request(.get, "/hello", port: server.boundPort)).status == .ok)
        }
        #expect(recorder.openedCount == 2)
        #expect(recorder.startedCount == 5)
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let server = try startServer()
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let socket = try TestSocket(port: server.boundPort)
        socket.send(
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\none"
                + "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n"
                + "GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        )
        #expect(try socket.readResponse().body == Array("one".utf8))
        #expect(try socket.readResponse().body == Array("two".utf8))
        let last = try socket.readResponse()
        #expect(last.body == Array("hello".utf8))
        #expect(last.headers["Connection"] == "close")
        #expect(socket.waitForClose())
    }

    @Test func thirtyTwoConcurrentConnectionsDoNotCrossTalk() throws {
        let server = try startServer { $0.workQueueCapacity = 64 }
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let port = server.boundPort
        let mismatches = Atomic<Int>(0)
        let failures = Atomic<Int>(0)
        let groups = (0..<32).map { index in
            runOnThread {
                let client = self.client()
                for round in 0..<5 {
                    let filler = [UInt8](repeating: UInt8(index), count: 1_000 * index)
                    let payload = Array("client-\(index)-round-\(round)-".utf8) + filler
                    do {
                        let response = try client.send(self.request(.post, "/echo", port: port, body: payload))
                        if response.body != payload {
                            mismatches.add(1, ordering: .relaxed)
                        }
                    } catch {
                        failures.add(1, ordering: .relaxed)
                    }
                }
            }
        }
        for group in groups {
            #expect(group.wait(timeout: .now() + 15) == .success)
        }
        #expect(mismatches.load(ordering: .relaxed) == 0)
        #expect(failures.load(ordering: .relaxed) == 0)
    }

    @Test func chunkedRequestBodyIsDecoded() throws {
        let server = try startServer()
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let socket = try TestSocket(port: server.boundPort)
        socket.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhel")
        Thread.sleep(forTimeInterval: 0.05)
        socket.send("lo\r\n6\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n")
        let response = try socket.readResponse()
        #expect(response.status == .ok)
        #expect(response.body == Array("hello world".utf8))
    }

    @Test func routingStatusesAreApplicationLevel() throws {
        let server = try startServer()
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let client = self.client()
        #expect(try client.send(self.request(.get, "/missing", port: server.boundPort)).status == .notFound)
        let notAllowed = try client.send(self.request(.get, "/echo", port: server.boundPort))
        #expect(notAllowed.status == .methodNotAllowed)
        #expect(notAllowed.headers["Allow"] == "POST")
        let head = try client.send(self.request(.head, "/hello", port: server.boundPort))
        #expect(head.status == .ok)
        #expect(head.body.isEmpty)
        #expect(head.headers["Content-Length"] == "5")
    }

    @Test func oversizedBodyCallsHookWithoutBufferingIt() throws {
        let handler = TestHandler()
        let recorder = EventRecorder()
        let server = try startServer(handler: handler, recorder: recorder) { $0.maxBodyBytes = 1 << 20 }
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let socket = try TestSocket(port: server.boundPort)
        socket.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 104857600\r\n\r\n")
        socket.send([UInt8](repeating: 0x61, count: 65_536))
        let response = try socket.readResponse()
        #expect(response.status == .badRequest)
        #expect(response.body == Array("too large".utf8))
        #expect(response.headers["Connection"] == "close")
        #expect(handler.recordedCodes == [.bodyTooLarge])
        // The event is emitted after the response is written, so it may trail the client's read slightly.
        #expect(eventually { recorder.finished.count == 1 })
        #expect(recorder.finished.map(\.requestBodyBytes) == [0])
        #expect(recorder.finished.map(\.status.code) == [400])

        let client = self.client()
        let big = [UInt8](repeating: 0x62, count: 3 << 20)
        let viaClient = try client.send(self.request(.post, "/echo", port: server.boundPort, body: big))
        #expect(viaClient.status == .badRequest)
        let chunked = try TestSocket(port: server.boundPort)
        chunked.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\n")
        #expect(try chunked.readResponse().status == .badRequest)
        #expect(handler.recordedCodes == [.bodyTooLarge, .bodyTooLarge, .bodyTooLarge])
    }

    @Test func headerTimeoutClosesSilentAndSlowConnections() throws {
        let handler = TestHandler()
        let server = try startServer(handler: handler) { $0.headerReadTimeout = .milliseconds(300) }
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let silent = try TestSocket(port: server.boundPort)
        #expect(silent.readToEnd() == [])
        let partial = try TestSocket(port: server.boundPort)
        partial.send("GET /hello HTTP/1.1\r\nHost:")
        let response = try partial.readResponse()
        #expect(response.status == .requestTimeout)
        #expect(partial.waitForClose())
        #expect(handler.recordedCodes == [.headerTimeout])
    }

    @Test func keepAliveIdleTimeoutClosesConnection() throws {
        let server = try startServer { $0.keepAliveIdleTimeout = .milliseconds(200) }
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let socket = try TestSocket(port: server.boundPort)
        socket.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try socket.readResponse().status == .ok)
        #expect(socket.readToEnd() == [])
    }

    @Test func slowlorisConnectionsDoNotBlockRealRequests() throws {
        let server = try startServer { $0.workerCount = 2 }
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let port = server.boundPort
        let sockets = try (0..<50).map { _ in try TestSocket(port: port) }
        for socket in sockets {
            socket.send("POST /echo HTTP/1.1\r\nHost: t\r\n")
        }
        let stop = Atomic<Bool>(false)
        let trickler = runOnThread {
            var round = 0
            while !stop.load(ordering: .relaxed) {
                for socket in sockets {
                    socket.send("X-\(round): y\r\n")
                }
                round += 1
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        Thread.sleep(forTimeInterval: 0.2)
        let client = self.client(readTimeout: .seconds(3))
        for _ in 0..<5 {
            let response = try client.send(self.request(.post, "/echo", port: port, body: Array("real".utf8)))
            #expect(response.body == Array("real".utf8))
        }
        stop.store(true, ordering: .relaxed)
        #expect(trickler.wait(timeout: .now() + 5) == .success)
    }

    @Test func tricklingBodyIsCutOffByMinimumRate() throws {
        let handler = TestHandler()
        let server = try startServer(handler: handler) {
            $0.bodyRateGracePeriod = .milliseconds(200)
            $0.minimumBodyBytesPerSecond = 10_000
        }
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let socket = try TestSocket(port: server.boundPort)
        socket.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n")
        let stop = Atomic<Bool>(false)
        let trickler = runOnThread {
            while !stop.load(ordering: .relaxed), socket.send("x") {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        let response = try socket.readResponse()
        stop.store(true, ordering: .relaxed)
        #expect(response.status == .requestTimeout)
        #expect(handler.recordedCodes == [.bodyTimeout])
        _ = trickler.wait(timeout: .now() + 5)
    }

    @Test func gracefulShutdownWaitsForInFlightRequest() throws {
        let server = try startServer()
        let port = server.boundPort
        let idle = try TestSocket(port: port)
        let result = Mutex<HTTPResponse?>(nil)
        let requester = runOnThread {
            let response = try? self.client().send(self.request(.get, "/slow?ms=600", port: port))
            result.withLock { $0 = response }
        }
        Thread.sleep(forTimeInterval: 0.2)
        let started = ContinuousClock.now
        let interrupted = server.shutdown(gracePeriod: .seconds(10))
        let elapsed = ContinuousClock.now - started
        #expect(interrupted == 0)
        #expect(requester.wait(timeout: .now() + 5) == .success)
        let response = try #require(result.withLock { $0 })
        #expect(response.status == .ok)
        #expect(response.headers["Connection"] == "close")
        #expect(elapsed < .seconds(9))
        #expect(idle.waitForClose())
        server.waitUntilStopped()
        #expect(throws: HTTPClientError(.connectFailed)) {
            try self.client().send(self.request(.get, "/hello", port: port))
        }
    }

    @Test func shutdownInterruptsRequestsAfterGracePeriod() throws {
        let server = try startServer()
        let port = server.boundPort
        let socket = try TestSocket(port: port)
        socket.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nabc")
        Thread.sleep(forTimeInterval: 0.1)
        #expect(server.shutdown(gracePeriod: .milliseconds(200)) == 1, "the cut request is reported")
        #expect(socket.waitForClose())
        server.waitUntilStopped()
    }

    @Test func maxConnectionsOverloadIsAnswered() throws {
        let handler = TestHandler()
        let server = try startServer(handler: handler) { $0.maxConnections = 2 }
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let first = try TestSocket(port: server.boundPort)
        let second = try TestSocket(port: server.boundPort)
        first.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try first.readResponse().status == .ok)
        let response = try self.client().send(self.request(.get, "/hello", port: server.boundPort))
        #expect(response.status == .serviceUnavailable)
        #expect(response.body == Array("busy".utf8))
        #expect(handler.recordedCodes == [.tooManyConnections])
        second.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try second.readResponse().status == .ok)
    }

    @Test func fullWorkQueueIsAnsweredWithOverloadResponse() throws {
        let handler = TestHandler()
        let server = try startServer(handler: handler) {
            $0.workerCount = 1
            $0.workQueueCapacity = 1
        }
        defer { server.shutdown(gracePeriod: .seconds(2)) }
        let sockets = try (0..<3).map { _ in try TestSocket(port: server.boundPort) }
        for socket in sockets {
            socket.send("GET /slow?ms=300 HTTP/1.1\r\nHost: t\r\n\r\n")
        }
        let statuses = try sockets.map { try $0.readResponse().status.code }
        #expect(statuses.contains(503))
        #expect(statuses.contains(200))
        #expect(handler.recordedCodes.allSatisfy { $0 == .queueFull })
    }

    /// A control path (a health check) is answered by its own worker while the only worker is busy and the work
    /// queue is full; a GET of another path still takes the work queue and gets the overload answer.
    @Test func controlPathsSkipABusyFullWorkQueue() throws {
        let handler = TestHandler()
        let server = try startServer(handler: handler) {
            $0.workerCount = 1
            $0.workQueueCapacity = 1
            $0.controlPaths = ["/hello"]
        }
        defer { server.shutdown(gracePeriod: .seconds(5)) }
        // One slow request on the worker, then one in the queue: sent one after the other, each once the server
        // holds the one before, so a loaded machine cannot reorder them.
        let running = try TestSocket(port: server.boundPort, timeoutSeconds: 30)
        // Long enough that both are still held even if the machine stalls for seconds before the probe.
        running.send("GET /slow?ms=12000 HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(eventually { server.requestsInFlight == 1 })
        let queued = try TestSocket(port: server.boundPort)
        queued.send("GET /slow?ms=10 HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(eventually { server.requestsInFlight == 2 })
        let started = ContinuousClock.now
        let probe = try self.client().send(self.request(.get, "/hello?verbose=1", port: server.boundPort))
        #expect(probe.status == .ok && probe.body == Array("hello".utf8))
        #expect(ContinuousClock.now - started < .milliseconds(2_000), "the probe must not wait for the slow request")
        let other = try self.client().send(self.request(.get, "/echo", port: server.boundPort))
        #expect(other.status == .serviceUnavailable, "other paths still queue behind the workers")
        #expect(try running.readResponse().status == .ok && queued.readResponse().status == .ok)
        #expect(handler.recordedCodes == [.queueFull])
    }

    /// With a deep queue nothing is refused at once, but a request that waited longer than the queue timeout gets
    /// a prompt 503 (its body unread) instead of being processed late: from the reactor, while the only worker is
    /// still held, not when it frees up.
    @Test func requestThatWaitedTooLongIsAnsweredWithOverloadResponse() throws {
        let handler = TestHandler()
        let server = try startServer(handler: handler) {
            $0.workerCount = 1
            $0.queueWaitTimeout = .milliseconds(200)
        }
        defer { server.shutdown(gracePeriod: .seconds(5)) }
        let first = try TestSocket(port: server.boundPort)
        first.send("GET /slow?ms=4000 HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(eventually { server.requestsInFlight == 1 })
        let second = try TestSocket(port: server.boundPort)
        let started = ContinuousClock.now
        second.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
        let late = try second.readResponse()
        #expect(late.status == .serviceUnavailable)
        #expect(ContinuousClock.now - started < .milliseconds(2_500), "answered long before the worker frees up")
        #expect(late.headers["Connection"] == "close")
        #expect(second.waitForClose())
        #expect(server.requestsInFlight == 1)
        #expect(try first.readResponse().status == .ok)
        #expect(handler.recordedCodes == [.queueTimeout])
        let detail = handler.serverErrors.withLock { $0.first?.detail } ?? ""
        #expect(detail.contains("for a free worker"))
    }

    @Test func malformedRequestsAreAnsweredByTheReactor() throws {
        let handler = TestHandler()
        let server = try startServer(handler: handler) { $0.maxHeadBytes = 4_096 }
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let cases: [(String, Int)] = [
            ("GET / HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n", 400),
            ("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: t\r\nX: \(String(repeating: "a", count: 5_000))\r\n\r\n", 431),
            ("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
            ("GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505),
            ("GET / HTTP/1.1\r\n\r\n", 400),
        ]
        for (text, status) in cases {
            let socket = try TestSocket(port: server.boundPort)
            socket.send(text)
            let response = try socket.readResponse()
            #expect(response.status.code == status, "\(text.prefix(40))")
            #expect(response.headers["Connection"] == "close")
            #expect(socket.waitForClose())
        }
        #expect(handler.recordedCodes.allSatisfy { $0 == .invalidRequest })
    }

    @Test func expectContinueIsHonoured() throws {
        let server = try startServer()
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let socket = try TestSocket(port: server.boundPort)
        socket.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        let interim = try socket.readResponse()
        #expect(interim.status.code == 100)
        socket.send("12345")
        #expect(try socket.readResponse().body == Array("12345".utf8))
    }

    @Test func http10ClosesUnlessKeepAliveRequested() throws {
        let server = try startServer()
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let plain = try TestSocket(port: server.boundPort)
        plain.send("GET /hello HTTP/1.0\r\n\r\n")
        #expect(try plain.readResponse().headers["Connection"] == "close")
        #expect(plain.waitForClose())
        let kept = try TestSocket(port: server.boundPort)
        kept.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try kept.readResponse().headers["Connection"] == "keep-alive")
        kept.send("GET /hello HTTP/1.0\r\n\r\n")
        #expect(try kept.readResponse().status == .ok)
    }

    @Test func absoluteFormTargetIsRoutedByPath() throws {
        let server = try startServer()
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let socket = try TestSocket(port: server.boundPort)
        socket.send(
            "POST https://firehose.example/echo?x=1 HTTP/1.1\r\nHost: firehose.example\r\nContent-Length: 2\r\n\r\nok"
        )
        #expect(try socket.readResponse().body == Array("ok".utf8))
    }

    @Test func startFailuresAreReported() throws {
        let server = try startServer()
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        #expect(throws: HTTPServerError(.alreadyStarted)) { try server.start() }
        var busy = HTTPServer.Configuration(host: "127.0.0.1", port: server.boundPort)
        busy.workerCount = 1
        let clash = HTTPServer(configuration: busy, handler: TestHandler())
        do {
            try clash.start()
            Issue.record("binding a used port should fail")
        } catch let error as HTTPServerError {
            #expect(error.code == .bindFailed)
            #expect(error.errnoCode == 98)
        }
        let invalid = HTTPServer(configuration: .init(host: "localhost", port: 0), handler: TestHandler())
        #expect(throws: HTTPServerError(.invalidAddress)) { try invalid.start() }
        var zeroWorkers = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        zeroWorkers.workerCount = 0
        #expect(throws: HTTPServerError(.invalidConfiguration)) {
            try HTTPServer(configuration: zeroWorkers, handler: TestHandler()).start()
        }
    }

    @Test func servesOverIPv6Loopback() throws {
        let server: HTTPServer
        do {
            server = try startServer { $0.host = "::1" }
        } catch let error as HTTPServerError where error.code == .bindFailed || error.code == .socketFailed {
            return
        }
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let response = try self.client().send(
            HTTPClientRequest(method: .get, host: "::1", port: server.boundPort, target: "/hello")
        )
        #expect(response.body == Array("hello".utf8))
    }
}
