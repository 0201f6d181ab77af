import Foundation
import Testing

/// A tiny Firehose endpoint on 127.0.0.1 (a Python `http.server` subprocess) that logs every request.
///
/// The path chooses the behaviour: `/` answers correctly; `/fail503`, `/413`, `/mismatch`, `/string-ts`,
/// `/gzip` (compressed response), `/redirect` (302), `/no-type` (no Content-Type) and `/flaky` (the first
/// attempt of each request id gets 500) answer wrongly.
final class LoopbackFirehoseServer {
    struct LoggedRequest {
        var path: String
        var headers: [(String, String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    let port: Int
    private let process: Process
    private let stdin: Pipe
    private let directory: TemporaryDirectory
    private let logPath: String

    static let script = #"""
        import base64, gzip, json, os, signal, sys, threading, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        # The parent may have spawned us with signals blocked; unblock them, and exit when stdin closes.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

        def exit_when_parent_goes():
            sys.stdin.buffer.read()
            os._exit(0)

        threading.Thread(target=exit_when_parent_goes, daemon=True).start()

        log_path = sys.argv[1]
        lock = threading.Lock()
        seen = {}

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                entry = {"path": self.path, "headers": [[k, v] for k, v in self.headers.items()],
                         "body": base64.b64encode(body).decode()}
                request_id = self.headers.get("X-Amz-Firehose-Request-Id", "")
                with lock:
                    with open(log_path, "a") as log:
                        log.write(json.dumps(entry) + "\n")
                    seen[request_id] = seen.get(request_id, 0) + 1
                    attempt = seen[request_id]
                status = 200
                payload = {"requestId": request_id, "timestamp": int(time.time() * 1000)}
                extra = []
                path = self.path
                if path.startswith("/fail503"):
                    status, payload = 503, {"requestId": request_id, "timestamp": 1, "errorMessage": "sink busy"}
                elif path.startswith("/413"):
                    status, payload = 413, {"requestId": request_id, "timestamp": 1, "errorMessage": "too large"}
                elif path.startswith("/mismatch"):
                    payload = {"requestId": "someone-else", "timestamp": 1}
                elif path.startswith("/string-ts"):
                    payload = {"requestId": request_id, "timestamp": "1"}
                elif path.startswith("/flaky") and attempt == 1:
                    status, payload = 500, {"requestId": request_id, "timestamp": 1, "errorMessage": "first fails"}
                data = json.dumps(payload).encode()
                if path.startswith("/gzip"):
                    data = gzip.compress(data)
                    extra.append(("Content-Encoding", "gzip"))
                if path.startswith("/redirect"):
                    status, data = 302, b""
                    extra.append(("Location", "/"))
                self.send_response(status)
                if not path.startswith("/no-type") and status != 302:
                    self.send_header("Content-Type", "application/json")
                for k, v in extra:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    private init(port: Int, process: Process, stdin: Pipe, directory: TemporaryDirectory, logPath: String) {
        self.port = port
        self.process = process
        self.stdin = stdin
        self.directory = directory
        self.logPath = logPath
    }

    /// Starts the server, or cancels the test when Python 3 is not available.
    static func start() throws -> LoopbackFirehoseServer {
        let directory = try TemporaryDirectory()
        let scriptPath = try directory.write("server.py", LoopbackFirehoseServer.script)
        let logPath = directory.path + "/requests.jsonl"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath, logPath]
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            directory.remove()
            try Test.cancel("skipped: cannot start python3 for the loopback test server")
        }
        var line: [UInt8] = []
        while let byte = try stdout.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") {
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            directory.remove()
            try Test.cancel("skipped: the python3 loopback test server did not start")
        }
        return LoopbackFirehoseServer(port: port, process: process, stdin: stdin, directory: directory, logPath: logPath)
    }

    func url(_ path: String = "/") -> URL {
        URL(string: "http://127.0.0.1:\(port)\(path)")!
    }

    /// The requests received so far, in arrival order.
    func requests() throws -> [LoggedRequest] {
        guard let data = FileManager.default.contents(atPath: logPath) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            let headers = try #require(object["headers"] as? [[String]]).map { ($0[0], $0[1]) }
            let encoded = try #require(object["body"] as? String)
            let body = try #require(Data(base64Encoded: encoded))
            let path = try #require(object["path"] as? String)
            return LoggedRequest(path: path, headers: headers, body: [UInt8](body))
        }
    }

    func stop() {
        try? stdin.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
        directory.remove()
    }
}
