import Foundation
import Glibc
import NetworkTestSupport
import Pipeline
import Testing

/// `serve` over HTTPS: real clients (curl, Python's `ssl`, `openssl s_client`) against certificates made by the
/// `openssl` CLI at test time. Every test skips with a message when a tool is missing.
@Suite(.serialized) struct TLSServeTests {
    /// The Firehose request id used by the POST tests.
    private static let requestID = "3b2f6a0e-9d7c-4e55-a1b2-tls000000001"

    // MARK: - Tests

    @Test func curlGetsHealthzAndPostsAFirehoseBatch() throws {
        guard let tools = Tools.find(["openssl", "curl"]) else { return }
        let directory = try TestEnvironment.temporaryDirectory()
        let pki = try PKI.make(in: directory, tools: tools, serial: "1001")
        let lake = directory.appendingPathComponent("lake")
        let service = try Self.start(pki: pki, sink: lake)
        defer { service.shutdown() }
        let base = "https://127.0.0.1:\(service.boundPort)"

        let health = try tools.run("curl", ["-sS", "--cacert", pki.certificate.path, "\(base)/healthz"])
        #expect(health.status == 0, "curl failed: \(health.errorText)")
        #expect(health.outputText.contains("ok"), "healthz body: \(health.outputText)")

        let body = Self.firehoseBody()
        let bodyFile = directory.appendingPathComponent("body.json")
        try Data(body.utf8).write(to: bodyFile)
        var arguments = ["-sS", "--cacert", pki.certificate.path, "-X", "POST", "--data-binary", "@\(bodyFile.path)"]
        for (name, value) in Self.firehoseHeaders() { arguments += ["-H", "\(name): \(value)"] }
        arguments += ["-w", "\n%{http_code}", "\(base)/"]
        let post = try tools.run("curl", arguments)
        #expect(post.status == 0, "curl failed: \(post.errorText)")
        #expect(post.outputText.hasSuffix("\n200"), "response: \(post.outputText)")
        #expect(post.outputText.contains(Self.requestID))
        let lines = try TestEnvironment.outputLines(under: lake)
        #expect(lines.count == 1)
        #expect(lines.first.map { String(decoding: $0, as: UTF8.self).contains("secberus_compliance") } == true)
    }

    @Test func theIntermediateCertificateOfTheChainFileIsServed() throws {
        guard let tools = Tools.find(["openssl", "curl"]) else { return }
        let directory = try TestEnvironment.temporaryDirectory()
        let chain = try PKI.makeChain(in: directory, tools: tools)
        let withIntermediate = try Self.start(pki: chain.full, sink: directory.appendingPathComponent("lake"))
        defer { withIntermediate.shutdown() }
        let leafOnly = try Self.start(pki: chain.leafOnly, sink: directory.appendingPathComponent("lake2"))
        defer { leafOnly.shutdown() }

        let arguments = ["-sS", "--cacert", chain.root.path]
        let served = try tools.run("curl", arguments + ["https://127.0.0.1:\(withIntermediate.boundPort)/healthz"])
        #expect(served.status == 0, "curl with the root CA only: \(served.errorText)")
        // Control: without the intermediate in the file, the same client cannot build the chain.
        let broken = try tools.run("curl", arguments + ["https://127.0.0.1:\(leafOnly.boundPort)/healthz"])
        #expect(broken.status == 60, "curl exit \(broken.status): \(broken.errorText)")
    }

    @Test func pythonKeepsOneTLSConnectionForHealthzAndAPost() throws {
        guard let tools = Tools.find(["openssl", "python3"]) else { return }
        let directory = try TestEnvironment.temporaryDirectory()
        let pki = try PKI.make(in: directory, tools: tools, serial: "1002")
        let service = try Self.start(pki: pki, sink: directory.appendingPathComponent("lake"))
        defer { service.shutdown() }
        let headers = Self.firehoseHeaders().map { "'\($0.0)': '\($0.1)'" }.joined(separator: ", ")
        let script = """
            import ssl, http.client, sys
            ctx = ssl.create_default_context(cafile=sys.argv[1])
            conn = http.client.HTTPSConnection('127.0.0.1', int(sys.argv[2]), context=ctx, timeout=20)
            conn.request('GET', '/healthz')
            r = conn.getresponse(); r.read()
            print(r.status, conn.sock.version())
            sock = conn.sock
            conn.request('POST', '/', body=sys.stdin.buffer.read(), headers={\(headers)})
            r = conn.getresponse(); text = r.read().decode()
            print(r.status, conn.sock is sock, text)
            """
        let result = try tools.run(
            "python3",
            ["-c", script, pki.certificate.path, "\(service.boundPort)"],
            input: Data(Self.firehoseBody().utf8)
        )
        #expect(result.status == 0, "python failed: \(result.errorText)")
        let lines = result.outputText.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "output: \(result.outputText)")
        #expect(lines.first == "200 TLSv1.3", "output: \(result.outputText)")
        #expect(lines.last?.hasPrefix("200 True ") == true, "output: \(result.outputText)")
        #expect(lines.last?.contains(Self.requestID) == true)
    }

    @Test func tls11IsRefusedAndTLS12Accepted() throws {
        guard let tools = Tools.find(["openssl"]) else { return }
        let directory = try TestEnvironment.temporaryDirectory()
        let pki = try PKI.make(in: directory, tools: tools, serial: "1003")
        let service = try Self.start(pki: pki, sink: directory.appendingPathComponent("lake"))
        defer { service.shutdown() }
        let target = "127.0.0.1:\(service.boundPort)"

        let old = try tools.run(
            "openssl",
            ["s_client", "-connect", target, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"],
            input: Data()
        )
        #expect(old.status != 0)
        // The refusal comes from the server, as an alert, not from the client's own policy.
        #expect(old.errorText.contains("alert protocol version"), "s_client: \(old.errorText)")

        let current = try tools.run(
            "openssl",
            ["s_client", "-connect", target, "-tls1_2", "-CAfile", pki.certificate.path],
            input: Data()
        )
        #expect(current.status == 0, "s_client: \(current.errorText)")
        #expect(current.outputText.contains("Protocol  : TLSv1.2"), "s_client: \(current.outputText)")
        #expect(current.outputText.contains("Verify return code: 0 (ok)"))

        // TLS 1.2 without forward secrecy or with CBC and SHA-1 is refused; ECDHE with AES-GCM is chosen.
        for weak in ["AES128-SHA", "ECDHE-RSA-AES128-SHA", "AES256-GCM-SHA384"] {
            let refused = try tools.run(
                "openssl",
                ["s_client", "-connect", target, "-tls1_2", "-cipher", weak, "-CAfile", pki.certificate.path],
                input: Data()
            )
            #expect(refused.status != 0, "\(weak) was accepted: \(refused.outputText)")
        }
        #expect(current.outputText.contains("Cipher is ECDHE-"), "s_client: \(current.outputText)")
    }

    @Test func plainHTTPOnTheTLSPortIsClosedAndServingGoesOn() throws {
        guard let tools = Tools.find(["openssl", "curl"]) else { return }
        let directory = try TestEnvironment.temporaryDirectory()
        let pki = try PKI.make(in: directory, tools: tools, serial: "1004")
        let service = try Self.start(pki: pki, sink: directory.appendingPathComponent("lake"))
        defer { service.shutdown() }
        let port = service.boundPort

        let plain = try tools.run("curl", ["-sS", "-m", "10", "http://127.0.0.1:\(port)/healthz"])
        #expect(plain.status != 0, "plain HTTP got an answer: \(plain.outputText)")
        #expect(plain.status != 28, "plain HTTP timed out instead of being closed")
        let raw = try RawClient(port: port)
        #expect(raw.send(Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8)))
        #expect(raw.waitForClose(seconds: 10), "the server kept a plain HTTP connection open")

        let secure = try tools.run(
            "curl",
            ["-sS", "--cacert", pki.certificate.path, "https://127.0.0.1:\(port)/healthz"]
        )
        #expect(secure.status == 0, "curl failed after plain HTTP: \(secure.errorText)")
    }

    @Test func silentClientsAreDroppedAtTheHeaderTimeoutWithoutHoldingTheOnlyWorker() throws {
        guard let tools = Tools.find(["openssl", "curl"]) else { return }
        let directory = try TestEnvironment.temporaryDirectory()
        let pki = try PKI.make(in: directory, tools: tools, serial: "1005")
        let service = try Self.start(pki: pki, sink: directory.appendingPathComponent("lake")) {
            $0.workers = 1
            $0.headerTimeoutSeconds = 1
        }
        defer { service.shutdown() }
        let port = service.boundPort
        // Three clients connect and never start the handshake; one sends half a ClientHello record header.
        let silent = try (0..<3).map { _ in try RawClient(port: port) }
        #expect(silent[2].send([0x16, 0x03, 0x01]))

        let served = try tools.run(
            "curl",
            ["-sS", "-m", "10", "--cacert", pki.certificate.path, "https://127.0.0.1:\(port)/healthz"]
        )
        #expect(served.status == 0, "curl was not served while silent clients waited: \(served.errorText)")
        for client in silent {
            #expect(client.waitForClose(seconds: 10), "a silent TLS client was not dropped")
        }
    }

    @Test func reloadSwitchesTheCertificateAndABadFileKeepsTheOldOne() throws {
        guard let tools = Tools.find(["openssl", "python3"]) else { return }
        let directory = try TestEnvironment.temporaryDirectory()
        let first = try PKI.make(in: directory, tools: tools, serial: "2001")
        let service = try Self.start(pki: first, sink: directory.appendingPathComponent("lake"))
        defer { service.shutdown() }
        let port = service.boundPort
        let firstFingerprint = try first.fingerprint(tools: tools)
        #expect(try Self.servedFingerprint(port: port, tools: tools) == firstFingerprint)
        #expect(service.tlsCertificateFingerprint == firstFingerprint)

        let second = try PKI.make(in: directory.appendingPathComponent("next"), tools: tools, serial: "2002")
        let secondFingerprint = try second.fingerprint(tools: tools)
        #expect(secondFingerprint != firstFingerprint)
        try second.install(over: first)
        #expect(try Self.servedFingerprint(port: port, tools: tools) == firstFingerprint)
        #expect(service.reloadTLS())
        #expect(try Self.servedFingerprint(port: port, tools: tools) == secondFingerprint)
        #expect(service.tlsCertificateFingerprint == secondFingerprint)

        try Data("-----BEGIN CERTIFICATE-----\nnot base64\n".utf8).write(to: first.certificate)
        #expect(!service.reloadTLS())
        #expect(try Self.servedFingerprint(port: port, tools: tools) == secondFingerprint)
        // A key that does not match the certificate is refused as well.
        try second.install(over: first)
        let third = try PKI.make(in: directory.appendingPathComponent("third"), tools: tools, serial: "2003")
        try Data(contentsOf: third.key).write(to: first.key)
        #expect(!service.reloadTLS())
        #expect(try Self.servedFingerprint(port: port, tools: tools) == secondFingerprint)
    }

    /// SIGHUP is tested on the `lakemark` binary: in the test process, threads the test runner owns may take the
    /// signal before Dispatch's signal source sees it.
    @Test func sighupMakesTheServeProcessReloadAndABadFileIsLoggedAndIgnored() throws {
        guard let tools = Tools.find(["openssl", "python3"]) else { return }
        guard let executable = Self.lakemarkExecutable else {
            print("SKIP: the lakemark executable is not next to the test bundle (run `swift build` first)")
            return
        }
        let directory = try TestEnvironment.temporaryDirectory()
        let first = try PKI.make(in: directory, tools: tools, serial: "3001")
        let second = try PKI.make(in: directory.appendingPathComponent("next"), tools: tools, serial: "3002")
        let log = directory.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let port = SocketIO.servicePort()
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve"]
        process.environment = [
            "LAKEMARK_LISTEN": "127.0.0.1:\(port)", "LAKEMARK_SINK": directory.appendingPathComponent("lake").path,
            "LAKEMARK_TLS_CERT_FILE": first.certificate.path, "LAKEMARK_TLS_KEY_FILE": first.key.path,
            "PATH": "/usr/bin:/bin",
        ]
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
        let firstFingerprint = try first.fingerprint(tools: tools)
        let secondFingerprint = try second.fingerprint(tools: tools)
        #expect(try Self.waitForFingerprint(firstFingerprint, port: port, tools: tools))

        try second.install(over: first)
        kill(process.processIdentifier, SIGHUP)
        #expect(try Self.waitForFingerprint(secondFingerprint, port: port, tools: tools), "SIGHUP did not reload")

        try Data("-----BEGIN CERTIFICATE-----\nnot base64\n".utf8).write(to: first.certificate)
        kill(process.processIdentifier, SIGHUP)
        var logged = false
        for _ in 0..<100 where !logged {
            logged = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
                .contains("tls reload failed; keeping the previous certificate")
            if !logged { usleep(50_000) }
        }
        #expect(logged, "the failed reload was not logged")
        #expect(try Self.servedFingerprint(port: port, tools: tools) == secondFingerprint)

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func certificateAndKeyAreSetTogetherOrNotAtAll() throws {
        let cert = ["LAKEMARK_TLS_CERT_FILE": "/etc/lakemark/tls.crt"]
        let key = ["LAKEMARK_TLS_KEY_FILE": "/etc/lakemark/tls.key"]
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(path: nil, environment: cert) }
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(path: nil, environment: key) }
        let both = try ConfigurationLoader.load(path: nil, environment: cert.merging(key) { $1 })
        #expect(both.tlsCertFile == "/etc/lakemark/tls.crt")
        #expect(both.tlsKeyFile == "/etc/lakemark/tls.key")
        let neither = try ConfigurationLoader.load(path: nil, environment: [:])
        #expect(neither.tlsCertFile == nil && neither.tlsKeyFile == nil)
    }

    @Test func missingCertificateFilesStopTheServiceFromStarting() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let configuration = TestEnvironment.configuration(sink: directory.appendingPathComponent("lake")) {
            $0.tlsCertFile = directory.appendingPathComponent("absent.pem").path
            $0.tlsKeyFile = directory.appendingPathComponent("absent.key").path
        }
        let error = #expect(throws: (any Error).self) { try TestEnvironment.startService(configuration) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("tlsConfigurationFailed"), "error: \(text)")
    }

    // MARK: - Helpers

    private static func start(
        pki: PKI,
        sink: URL,
        _ adjust: (inout Configuration) -> Void = { _ in }
    ) throws -> Service {
        let configuration = TestEnvironment.configuration(sink: sink) {
            $0.tlsCertFile = pki.certificate.path
            $0.tlsKeyFile = pki.key.path
            adjust(&$0)
        }
        return try TestEnvironment.startService(configuration)
    }

    /// The `lakemark` executable built next to the test bundle.
    private static var lakemarkExecutable: URL? { LakemarkExecutable.url }

    /// Polls the served certificate for up to ten seconds until it has `fingerprint`.
    private static func waitForFingerprint(_ fingerprint: String, port: Int, tools: Tools) throws -> Bool {
        for _ in 0..<100 {
            if try servedFingerprint(port: port, tools: tools) == fingerprint { return true }
            usleep(100_000)
        }
        return false
    }

    private static func servedFingerprint(port: Int, tools: Tools) throws -> String {
        let script = """
            import ssl, socket, hashlib, sys
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            try:
                with ctx.wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)) as s:
                    print(hashlib.sha256(s.getpeercert(True)).hexdigest())
            except OSError as error:
                print('unreachable', error)
            """
        let result = try tools.run("python3", ["-c", script, "\(port)"])
        return result.outputText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func firehoseHeaders() -> [(String, String)] {
        [
            ("Content-Type", "application/json"),
            ("X-Amz-Firehose-Protocol-Version", "1.0"),
            ("X-Amz-Firehose-Request-Id", requestID),
        ]
    }

    private static func firehoseBody() -> String {
        let event = #"{"title":"S3 bucket allows public read access","severity":"HIGH","id":"tls-1"}"#
        let data = Data(event.utf8).base64EncodedString()
        return #"{"requestId":"\#(requestID)","timestamp":1767225600000,"records":[{"data":"\#(data)"}]}"#
    }
}

/// External programs found on `PATH`.
private struct Tools {
    let paths: [String: String]

    /// Finds every tool, or prints a skip message naming the missing ones.
    static func find(_ names: [String]) -> Tools? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        var paths: [String: String] = [:]
        for name in names {
            paths[name] = directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        let missing = names.filter { paths[$0] == nil }
        guard missing.isEmpty else {
            print("SKIP: TLS serve test needs \(missing.joined(separator: ", ")) on PATH")
            return nil
        }
        return Tools(paths: paths)
    }

    /// Runs a tool to completion.
    func run(_ name: String, _ arguments: [String], input: Data? = nil) throws -> ToolResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: self.paths[name]!)
        process.arguments = arguments
        let output = Pipe()
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("tls-test-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let error = try FileHandle(forWritingTo: errorFile)
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        try error.close()
        if let input {
            stdin.fileHandleForWriting.write(input)
            try stdin.fileHandleForWriting.close()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = (try? Data(contentsOf: errorFile)) ?? Data()
        return ToolResult(status: process.terminationStatus, output: outputData, error: errorData)
    }
}

/// What a tool printed and how it exited.
private struct ToolResult {
    let status: Int32
    let output: Data
    let error: Data
    var outputText: String { String(decoding: self.output, as: UTF8.self) }
    var errorText: String { String(decoding: self.error, as: UTF8.self) }
}

/// A self-signed certificate for 127.0.0.1 and its key, written by the `openssl` CLI.
private struct PKI {
    let certificate: URL
    let key: URL

    static func make(in directory: URL, tools: Tools, serial: String) throws -> PKI {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pki = PKI(
            certificate: directory.appendingPathComponent("cert.pem"),
            key: directory.appendingPathComponent("key.pem")
        )
        let result = try tools.run(
            "openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", pki.key.path, "-out", pki.certificate.path, "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-set_serial", "0x\(serial)",
            ]
        )
        guard result.status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: result.errorText])
        }
        return pki
    }

    /// A root CA, an intermediate CA and a leaf for 127.0.0.1 signed by the intermediate.
    /// - Returns: The root certificate, the leaf with its chain file (leaf then intermediate), and the leaf alone.
    static func makeChain(in directory: URL, tools: Tools) throws -> (root: URL, full: PKI, leafOnly: PKI) {
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        func run(_ arguments: [String]) throws {
            let result = try tools.run("openssl", arguments)
            guard result.status == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: result.errorText])
            }
        }
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try run(
            ["req", "-x509"] + key + [
                "-keyout", path("root.key"), "-out", path("root.pem"), "-days", "2", "-subj", "/CN=Lakemark Test Root",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ]
        )
        try Data("basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n".utf8)
            .write(to: directory.appendingPathComponent("intermediate.ext"))
        try Data("basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n".utf8)
            .write(to: directory.appendingPathComponent("leaf.ext"))
        let signings = [
            ("intermediate", "root", "0x51", "/CN=Lakemark Test Intermediate"),
            ("leaf", "intermediate", "0x52", "/CN=127.0.0.1"),
        ]
        for (name, issuer, serial, subject) in signings {
            try run(
                ["req", "-new"] + key + ["-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", subject]
            )
            try run([
                "x509", "-req", "-in", path("\(name).csr"), "-CA", path("\(issuer).pem"),
                "-CAkey", path("\(issuer).key"), "-set_serial", serial, "-days", "2",
                "-extfile", path("\(name).ext"), "-out", path("\(name).pem"),
            ])
        }
        var chain = try Data(contentsOf: URL(fileURLWithPath: path("leaf.pem")))
        chain.append(try Data(contentsOf: URL(fileURLWithPath: path("intermediate.pem"))))
        try chain.write(to: directory.appendingPathComponent("chain.pem"))
        let leafKey = directory.appendingPathComponent("leaf.key")
        return (
            directory.appendingPathComponent("root.pem"),
            PKI(certificate: directory.appendingPathComponent("chain.pem"), key: leafKey),
            PKI(certificate: directory.appendingPathComponent("leaf.pem"), key: leafKey)
        )
    }

    /// The certificate's SHA-256 fingerprint as `openssl x509` computes it, in lowercase hex.
    func fingerprint(tools: Tools) throws -> String {
        let result = try tools.run(
            "openssl",
            ["x509", "-in", self.certificate.path, "-noout", "-fingerprint", "-sha256"]
        )
        let text = result.outputText.split(separator: "=").last ?? ""
        return text.filter { $0.isHexDigit }.lowercased()
    }

    /// Copies this certificate and key over another pair's files (key first, as a rotation tool would not
    /// guarantee any order).
    func install(over other: PKI) throws {
        for (source, destination) in [(self.key, other.key), (self.certificate, other.certificate)] {
            let data = try Data(contentsOf: source)
            try data.write(to: destination, options: .atomic)
        }
    }
}

/// A plain TCP client on loopback that can stay silent.
private final class RawClient {
    private let fd: Int32

    init(port: Int) throws {
        self.fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(self.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            Glibc.close(self.fd)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit {
        Glibc.close(self.fd)
    }

    func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Reads and discards until the server closes the connection or `seconds` pass.
    /// - Returns: `true` when the server closed it (end of file or reset).
    func waitForClose(seconds: Int) -> Bool {
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while Date() < deadline {
            var descriptor = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 200) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return true }
        }
        return false
    }
}
