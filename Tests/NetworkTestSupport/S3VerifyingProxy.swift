/// The Python source of a strict S3 request verifier that sits in front of moto (authentication off there) and
/// forwards only requests it accepts.
///
/// moto wrongly rejects correctly signed keys with `=`, `+`, `@` and other characters (every Lakemark object key
/// has `region=`), and never checks payload hashes or checksums. This verifier recomputes each signature with
/// botocore's `S3SigV4Auth` over the path exactly as received, and checks that `host` and every `x-amz-*`
/// header are signed, that `x-amz-content-sha256`, `x-amz-checksum-sha256` and `Content-MD5` match the body,
/// and that the signing time is within 15 minutes. A rejected request gets 403 `SignatureDoesNotMatch` (or
/// `XAmzContentSHA256Mismatch`, `BadDigest`, `RequestTimeTooSkewed`) with the reason in `<Message>`.
///
/// Arguments: listen port, upstream port, access key id, secret access key.
public enum S3VerifyingProxy {
    /// The script, run with `python3 -c`.
    static let script = """
        import base64, datetime, hashlib, http.client, http.server, re, sys, threading
        from urllib.parse import parse_qsl
        import botocore.auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        listen_port, upstream_port, key_id, secret = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
        signing_lock = threading.Lock()
        AUTH = re.compile(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/s3/aws4_request, "
                          r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$")

        def verify(method, target, headers, body):
            match = AUTH.match(headers.get("Authorization", ""))
            if not match:
                return "SignatureDoesNotMatch", "malformed or missing Authorization"
            access_key, scope_date, region, signed, signature = match.groups()
            if access_key != key_id:
                return "InvalidAccessKeyId", "unknown access key"
            signed_names = signed.split(";")
            if "host" not in signed_names:
                return "SignatureDoesNotMatch", "host is not signed"
            for name in headers.keys():
                lower = name.lower()
                covered = lower.startswith("x-amz-") or lower in ("content-md5", "content-type")
                if covered and lower not in signed_names:
                    return "AccessDenied", "header %s is not signed" % lower
            amz_date = headers.get("x-amz-date", "")
            try:
                when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ")
            except ValueError:
                return "SignatureDoesNotMatch", "malformed x-amz-date"
            if abs((when - datetime.datetime.utcnow()).total_seconds()) > 900:
                return "RequestTimeTooSkewed", "x-amz-date is more than 15 minutes away"
            if scope_date != amz_date[:8]:
                return "SignatureDoesNotMatch", "scope date differs from x-amz-date"
            digest = hashlib.sha256(body).digest()
            if headers.get("x-amz-content-sha256") != digest.hex():
                return "XAmzContentSHA256Mismatch", "x-amz-content-sha256 does not match the body"
            checksum = headers.get("x-amz-checksum-sha256")
            if checksum is not None and checksum != base64.b64encode(digest).decode():
                return "BadDigest", "x-amz-checksum-sha256 does not match the body"
            md5 = headers.get("Content-MD5")
            if md5 is not None and md5 != base64.b64encode(hashlib.md5(body).digest()).decode():
                return "BadDigest", "Content-MD5 does not match the body"
            path, _, query = target.partition("?")
            request = AWSRequest(method=method, url="http://%s%s" % (headers["Host"], path), data=body,
                                 params=parse_qsl(query, keep_blank_values=True))
            for name in signed_names:
                if name not in ("x-amz-date", "x-amz-content-sha256", "x-amz-security-token"):
                    for value in headers.get_all(name, []):
                        request.headers[name] = value
            token = headers.get("x-amz-security-token")
            with signing_lock:
                botocore.auth.get_current_datetime = lambda *args, **kwargs: when
                botocore.auth.S3SigV4Auth(Credentials(key_id, secret, token), "s3", region).add_auth(request)
            if request.headers["Authorization"] != headers["Authorization"]:
                return "SignatureDoesNotMatch", "expected " + request.headers["Authorization"]
            return None

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_any(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                problem = verify(self.command, self.path, self.headers, body)
                if problem:
                    code, message = problem
                    status = 400 if code in ("XAmzContentSHA256Mismatch", "BadDigest") else 403
                    xml = ("<Error><Code>%s</Code><Message>verifier: %s</Message><RequestId>VERIFIER</RequestId>"
                           "</Error>" % (code, message.replace("&", "&amp;").replace("<", "&lt;"))).encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(xml)))
                    self.end_headers()
                    self.wfile.write(xml)
                    return
                forwarded = {name: value for name, value in self.headers.items()
                             if name.lower() not in ("connection", "content-length")}
                upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=60)
                upstream.request(self.command, self.path, body=body, headers=forwarded)
                response = upstream.getresponse()
                payload = response.read()
                self.send_response(response.status)
                for name, value in response.getheaders():
                    if name.lower() not in ("connection", "content-length", "transfer-encoding", "date", "server"):
                        self.send_header(name, value)
                length = response.getheader("Content-Length", "0") if self.command == "HEAD" else str(len(payload))
                self.send_header("Content-Length", length)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)
                upstream.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any

        http.server.ThreadingHTTPServer.daemon_threads = True
        http.server.ThreadingHTTPServer(("127.0.0.1", listen_port), Handler).serve_forever()
        """

    /// A prelude that ends the Python process when its parent (the test process) goes away, so no server
    /// outlives a test run.
    public static let watchdog = """
        import os, threading, time
        def _watch(parent=os.getppid()):
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(0)
        threading.Thread(target=_watch, daemon=True).start()

        """
}
