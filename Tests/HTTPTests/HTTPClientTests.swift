import Foundation
import HTTPClient
import HTTPCore
import Testing

@Suite struct HTTPClientTests {
    private func client(readTimeout: Duration = .seconds(5)) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.readTimeout = readTimeout
        configuration.connectTimeout = .seconds(2)
        return HTTPClient(configuration: configuration)
    }

    private func get(_ target: String, port: Int) -> HTTPClientRequest {
        HTTPClientRequest(method: .get, host: "127.0.0.1", port: port, target: target)
    }

    @Test func decodesChunkedResponsesAndSkipsInterimResponses() throws {
        let server = try ScriptedServer(connections: 1) { socket, _ in
            guard let head = try? socket.readRequest() else {
                return
            }
            socket.send("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n")
            socket.send(
                "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nX-Host: \(head.headers["Host"] ?? "")\r\n\r\n"
            )
            socket.send("4;x=y\r\nabcd\r\n")
            socket.send("2\r\nef\r\n0\r\nX-Trailer: t\r\n\r\n")
            _ = try? socket.readRequest()
        }
        let response = try self.client().send(self.get("/x", port: server.port))
        #expect(response.status.code == 201)
        #expect(response.body == Array("abcdef".utf8))
        #expect(response.headers["X-Host"] == "127.0.0.1:\(server.port)")
    }

    @Test func readsCloseDelimitedResponses() throws {
        let server = try ScriptedServer(connections: 1) { socket, _ in
            _ = try? socket.readRequest()
            socket.send("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end")
        }
        let response = try self.client().send(self.get("/", port: server.port))
        #expect(response.body == Array("until the end".utf8))
    }

    @Test func reusesKeepAliveConnections() throws {
        let server = try ScriptedServer(connections: 1) { socket, _ in
            for index in 0..<3 {
                guard (try? socket.readRequest()) != nil else {
                    return
                }
                socket.send("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n\(index)")
            }
        }
        let client = self.client()
        for index in 0..<3 {
            #expect(try client.send(self.get("/", port: server.port)).body == Array("\(index)".utf8))
        }
        #expect(server.acceptedCount == 1)
    }

    @Test func retriesOnceWhenAReusedConnectionWasClosedBeforeResponding() throws {
        let server = try ScriptedServer(connections: 2) { socket, index in
            guard (try? socket.readRequest()) != nil else {
                return
            }
            if index == 0 {
                socket.send("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst")
                // Wait for the second request, then drop the connection without answering, as a server whose
                // keep-alive timer fired at that moment would.
                _ = try? socket.readRequest()
                return
            }
            socket.send("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond")
        }
        let client = self.client()
        #expect(try client.send(self.get("/", port: server.port)).body == Array("first".utf8))
        let body = Array("payload".utf8)
        let post = HTTPClientRequest(method: .post, host: "127.0.0.1", port: server.port, target: "/", body: body)
        #expect(try client.send(post).body == Array("second".utf8))
        #expect(server.waitForScripts())
        #expect(server.acceptedCount == 2)
    }

    @Test func doesNotRetryAfterResponseBytesArrived() throws {
        let server = try ScriptedServer(connections: 2) { socket, index in
            guard (try? socket.readRequest()) != nil else {
                return
            }
            if index == 0 {
                socket.send("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst")
                _ = try? socket.readRequest()
                socket.send("HTTP/1.1 200 OK\r\nContent-Le")
                return
            }
            socket.send("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond")
        }
        let client = self.client()
        #expect(try client.send(self.get("/", port: server.port)).status == .ok)
        #expect(throws: HTTPClientError(.connectionReset)) { try client.send(self.get("/", port: server.port)) }
        #expect(server.acceptedCount == 1)
    }

    @Test func freshConnectionFailureIsNotRetried() throws {
        let server = try ScriptedServer(connections: 2) { socket, _ in
            _ = try? socket.readRequest()
        }
        #expect(throws: HTTPClientError(.connectionReset)) { try self.client().send(self.get("/", port: server.port)) }
        #expect(server.acceptedCount == 1)
    }

    @Test func readTimeoutIsReported() throws {
        let server = try ScriptedServer(connections: 1) { socket, _ in
            _ = try? socket.readRequest()
            _ = socket.readSome()
        }
        do {
            _ = try self.client(readTimeout: .milliseconds(200)).send(self.get("/", port: server.port))
            Issue.record("expected a timeout")
        } catch let error as HTTPClientError {
            #expect(error.code == .timeout)
            #expect(error.detail == "read")
        }
    }

    @Test func refusedConnectionIsReported() throws {
        let port: Int
        do {
            let server = try ScriptedServer(connections: 0) { _, _ in }
            port = server.port
        }
        Thread.sleep(forTimeInterval: 0.05)
        #expect(throws: HTTPClientError(.connectFailed)) { try self.client().send(self.get("/", port: port)) }
    }

    @Test func malformedResponsesAndLimitsAreReported() throws {
        let server = try ScriptedServer(connections: 3) { socket, index in
            _ = try? socket.readRequest()
            switch index {
            case 0: socket.send("HTTP/1.1 200 OK\r\nBad Header\r\n\r\n")
            case 1: socket.send("HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n")
            default: socket.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
            }
        }
        var configuration = HTTPClient.Configuration()
        configuration.maxResponseBodyBytes = 1_000
        configuration.readTimeout = .seconds(5)
        let client = HTTPClient(configuration: configuration)
        #expect(throws: HTTPClientError(.invalidResponse)) { try client.send(self.get("/", port: server.port)) }
        #expect(throws: HTTPClientError(.responseTooLarge)) { try client.send(self.get("/", port: server.port)) }
        #expect(throws: HTTPClientError(.invalidResponse)) { try client.send(self.get("/", port: server.port)) }
    }

    @Test func invalidRequestsAreRefusedBeforeConnecting() {
        let request = HTTPClientRequest(method: .get, host: "127.0.0.1", port: 1, target: "/", headers: ["X": "a\r\nb"])
        #expect(throws: HTTPClientError(.invalidRequest)) { try self.client().send(request) }
    }
}
