import Foundation
import NetworkTestSupport

/// A loopback stand-in for AWS in front of two moto servers, playing Security Lake's provider roles.
///
/// STS calls go to a moto with authentication on, which checks the caller's signature and each role's trust
/// policy (including `sts:ExternalId`); the proxy remembers the temporary credentials every `AssumeRole` hands
/// out. S3 calls are checked here (moto's own check refuses keys with `=`, which every partition key has): the
/// signature is recomputed with botocore for the base key or a remembered role key (session token included), a
/// role key may only `PUT` under its role's prefix (the provider role's inline policy), and each S3 request is
/// logged as `<method> <decoded path> <access key id> <role name or base>` before it is forwarded to a moto without
/// authentication that stores the objects.
final class ProviderRoleProxy: Sendable {
    /// The endpoint for both STS and S3.
    let endpoint: String
    /// The request log.
    let logPath: String
    private let process: ChildProcess

    /// Starts the proxy.
    /// - Parameters:
    ///   - stsPort: the authenticating moto's port.
    ///   - s3Port: the storing moto's port.
    ///   - baseKey: the access key id and secret of the base user.
    ///   - rolePrefixes: role name → `<bucket>/<key prefix>` its key may write under.
    init(stsPort: Int, s3Port: Int, baseKey: (id: String, secret: String), rolePrefixes: [String: String]) throws {
        let port = try SocketIO.freePort()
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("lakemark-roles-\(UUID()).log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let pairs = rolePrefixes.map { "\($0.key)=\($0.value)" }
        process = try ChildProcess(
            "python3",
            ["-c", S3VerifyingProxy.watchdog + Self.script, String(port), String(stsPort), String(s3Port), logPath]
                + [baseKey.id, baseKey.secret] + pairs
        )
        try SocketIO.waitUntilListening(port: port, seconds: 30)
        endpoint = "http://127.0.0.1:\(port)"
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// The logged S3 requests: method, path, access key id, role name (or `base`).
    func requests() throws -> [(method: String, path: String, key: String, role: String)] {
        try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            return fields.count == 4 ? (fields[0], fields[1], fields[2], fields[3]) : nil
        }
    }

    private static let script = """
        import http.client, http.server, re, sys, threading
        from urllib.parse import parse_qsl, unquote
        import botocore.auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        import datetime

        port, sts_port, s3_port, log_path = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
        keys = {sys.argv[5]: (sys.argv[6], None, "base")}
        prefixes = dict(pair.split("=", 1) for pair in sys.argv[7:])
        lock = threading.Lock()
        SCOPE = re.compile(r"Credential=([^/]+)/(\\d{8})/([^/]+)/([a-z0-9-]+)/aws4_request, "
                           r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})")

        def tag(name, text):
            found = re.search("<%s>([^<]*)</%s>" % (name, name), text)
            return found.group(1) if found else None

        def forward(upstream, method, path, headers, body):
            kept = {k: v for k, v in headers.items() if k.lower() not in ("connection", "content-length")}
            connection = http.client.HTTPConnection("127.0.0.1", upstream, timeout=60)
            connection.request(method, path, body=body, headers=kept)
            response = connection.getresponse()
            payload = response.read()
            connection.close()
            return response.status, response.getheaders(), payload

        def s3_problem(method, path, headers, body, match):
            key_id, day, region, _, signed, _ = match.groups()
            with lock:
                known = keys.get(key_id)
            if known is None:
                return 403, "InvalidAccessKeyId", "unknown key", "?"
            secret, token, role = known
            if token is not None and headers.get("x-amz-security-token") != token:
                return 403, "InvalidToken", "wrong session token", role
            target, _, query = path.partition("?")
            request = AWSRequest(method=method, url="http://%s%s" % (headers["Host"], target), data=body,
                                 params=parse_qsl(query, keep_blank_values=True))
            for name in signed.split(";"):
                if name not in ("x-amz-date", "x-amz-content-sha256", "x-amz-security-token"):
                    request.headers[name] = headers[name]
            when = datetime.datetime.strptime(headers["x-amz-date"], "%Y%m%dT%H%M%SZ")
            with lock:
                botocore.auth.get_current_datetime = lambda *args, **kwargs: when
                botocore.auth.S3SigV4Auth(Credentials(key_id, secret, token), "s3", region).add_auth(request)
            if request.headers["Authorization"] != headers["Authorization"]:
                return 403, "SignatureDoesNotMatch", "signature differs", role
            if role != "base" and (method != "PUT" or not unquote(target).startswith("/" + prefixes.get(role, "?"))):
                return 403, "AccessDenied", "%s may not %s %s" % (role, method, target), role
            return None, None, None, role

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status, headers, payload):
                self.send_response(status)
                for name, value in headers:
                    if name.lower() not in ("connection", "content-length", "transfer-encoding", "date", "server"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            def handle_any(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                match = SCOPE.search(self.headers.get("Authorization", ""))
                if match and match.group(4) == "sts":
                    status, headers, payload = forward(sts_port, self.command, self.path, self.headers, body)
                    text = payload.decode("utf-8", "replace")
                    arn = tag("Arn", text)
                    if status == 200 and tag("AccessKeyId", text) and arn:
                        role = arn.split("/")[1]
                        with lock:
                            keys[tag("AccessKeyId", text)] = (tag("SecretAccessKey", text), tag("SessionToken", text),
                                                              role)
                    return self.reply(status, headers, payload)
                if not match:
                    return self.reply(403, [], b"<Error><Code>AccessDenied</Code></Error>")
                status, code, message, role = s3_problem(self.command, self.path, self.headers, body, match)
                with lock, open(log_path, "a") as log:
                    path = unquote(self.path.partition("?")[0])
                    log.write("%s %s %s %s\\n" % (self.command, path, match.group(1), role))
                if status:
                    xml = "<Error><Code>%s</Code><Message>proxy: %s</Message></Error>" % (code, message)
                    return self.reply(status, [("Content-Type", "application/xml")], xml.encode())
                self.reply(*forward(s3_port, self.command, self.path, self.headers, body))

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any

        http.server.ThreadingHTTPServer.daemon_threads = True
        http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """
}
