import Foundation

/// moto in server mode on `127.0.0.1`, started by a test, as an S3 peer that checks signatures one of two ways.
///
/// With ``Verification/moto``, three unauthenticated bootstrap calls (create a user, create its access key,
/// attach an allow-all policy) use up `INITIAL_NO_AUTH_ACTION_COUNT`; every later request must be signed with
/// the returned key. moto wrongly rejects correctly signed keys containing `% " < > { } ^ | \` [ ] : + = @ , ;
/// $ & ' ( ) ! *` or non-ASCII characters, and never checks payload hashes; with ``Verification/strictProxy``
/// moto runs without authentication behind ``S3VerifyingProxy``, which checks every request (any key) with
/// botocore. Python processes end with the test process.
public final class MotoServer: Sendable {
    /// Who checks the signatures.
    public enum Verification: Sendable {
        /// moto itself, for an access key created through its IAM API.
        case moto
        /// The strict botocore verifier in front of moto (signature, hashes, checksums, skew).
        case strictProxy
    }

    /// Why moto cannot be used here, or `nil` when `python3` can import `moto.server` and `boto3`.
    public static let unavailableReason: String? = {
        let check = try? ChildProcess.run("python3", ["-c", "import moto.server, boto3, flask_cors"])
        guard let check, check.status == 0 else {
            return "moto[server] is not installed (python3 -m pip install 'moto[server]'); "
                + (check?.output.split(separator: "\n").last.map(String.init) ?? "python3 not found")
        }
        return nil
    }()

    /// moto's own port.
    public let port: Int
    /// The endpoint clients use: moto's (`http://127.0.0.1:<port>`, or `https://localhost:<port>` with TLS), or
    /// the verifier's.
    public let endpoint: String
    /// moto's own endpoint, bypassing any verifier (for reading back with boto3).
    public let directEndpoint: String
    /// The port of ``endpoint``.
    public let endpointPort: Int
    /// The IAM access key id created at start-up (or the verifier's key).
    public let accessKeyID: String
    /// Its secret.
    public let secretAccessKey: String
    /// The CA file to trust for the TLS endpoint, if any.
    public let caFile: String?
    private let processes: [ChildProcess]

    /// Starts moto (and the verifier), sets up the access key and creates buckets.
    /// - Parameters:
    ///   - buckets: Buckets to create.
    ///   - verification: Who checks signatures. Default: ``Verification/moto``.
    ///   - certificates: Serve HTTPS with the test PKI's `localhost` certificate when given (moto verification
    ///     only).
    /// - Throws: ``TestFailure`` when a process does not start or the bootstrap fails.
    public init(
        buckets: [String],
        verification: Verification = .moto,
        certificates: TestCertificates? = nil
    ) throws {
        let port = try SocketIO.freePort()
        var arguments = ["-H", "127.0.0.1", "-p", String(port)]
        if let certificates {
            arguments += ["-c", certificates.serverCertificate, "-k", certificates.serverKey]
        }
        let isMoto = verification == .moto
        let launcher = S3VerifyingProxy.watchdog + "import sys\nfrom moto.server import main\nmain(sys.argv[1:])\n"
        let moto = try ChildProcess(
            "python3",
            ["-c", launcher] + arguments,
            environment: isMoto ? ["INITIAL_NO_AUTH_ACTION_COUNT": "3"] : [:]
        )
        var processes = [moto]
        try SocketIO.waitUntilListening(port: port, seconds: 30)
        let direct = certificates == nil ? "http://127.0.0.1:\(port)" : "https://localhost:\(port)"
        self.port = port
        self.directEndpoint = direct
        self.caFile = certificates?.caCertificate
        let keys = try Self.runPython(
            Self.bootstrapScript,
            [direct, self.caFile ?? "", isMoto ? "iam" : "fixed"] + buckets
        )
        let parts = keys.split(separator: " ")
        guard parts.count == 2 else {
            throw TestFailure("moto bootstrap printed \(keys)")
        }
        self.accessKeyID = String(parts[0])
        self.secretAccessKey = String(parts[1])
        if isMoto {
            self.endpoint = direct
            self.endpointPort = port
        } else {
            let proxyPort = try SocketIO.freePort()
            let proxy = try ChildProcess(
                "python3",
                ["-c", S3VerifyingProxy.watchdog + S3VerifyingProxy.script, String(proxyPort), String(port)]
                    + [self.accessKeyID, self.secretAccessKey]
            )
            processes.append(proxy)
            try SocketIO.waitUntilListening(port: proxyPort, seconds: 30)
            self.endpoint = "http://127.0.0.1:\(proxyPort)"
            self.endpointPort = proxyPort
        }
        self.processes = processes
    }

    deinit {
        for process in self.processes {
            process.stop()
        }
    }

    /// Runs a Python script with boto3 against this server: `sys.argv[1:4]` are moto's direct endpoint, the
    /// access key id and the secret, followed by `arguments`; the CA file (or `True`) is in the `VERIFY` global.
    /// - Parameters:
    ///   - script: The script body.
    ///   - arguments: Further arguments.
    /// - Returns: The script's trimmed standard output.
    /// - Throws: ``TestFailure`` when the script fails.
    public func python(_ script: String, _ arguments: [String] = []) throws -> String {
        let prelude = "import sys\nVERIFY = \(self.caFile.map { "'\($0)'" } ?? "True")\n"
        return try Self.runPython(
            prelude + script,
            [self.directEndpoint, self.accessKeyID, self.secretAccessKey] + arguments
        )
    }

    /// The SHA-256 (hex) of every object in a bucket, read with boto3, keyed by object key.
    /// - Parameter bucket: The bucket.
    /// - Returns: Key to digest.
    /// - Throws: ``TestFailure`` when listing or reading fails.
    public func objectDigests(bucket: String) throws -> [String: String] {
        let output = try self.python(Self.digestScript, [bucket])
        var digests: [String: String] = [:]
        for line in output.split(separator: "\n") where !line.isEmpty {
            guard let data = Data(base64Encoded: String(line.prefix { $0 != " " })),
                let key = String(data: data, encoding: .utf8)
            else {
                throw TestFailure("unreadable digest line \(line)")
            }
            digests[key] = String(line.split(separator: " ").last ?? "")
        }
        return digests
    }

    /// Starts a one-off Python process.
    private static func runPython(_ script: String, _ arguments: [String]) throws -> String {
        let (status, output) = try ChildProcess.run("python3", ["-c", script] + arguments)
        guard status == 0 else {
            throw TestFailure("python script failed: \(output.suffix(3_000))")
        }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static let bootstrapScript = """
        import json, sys, boto3
        endpoint, ca, mode, buckets = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
        verify = ca if ca else True
        def client(service, key, secret):
            return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", verify=verify,
                                aws_access_key_id=key, aws_secret_access_key=secret)
        if mode == "iam":
            iam = client("iam", "bootstrap", "bootstrap")
            iam.create_user(UserName="lakemark")
            key = iam.create_access_key(UserName="lakemark")["AccessKey"]
            policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
            iam.put_user_policy(UserName="lakemark", PolicyName="all", PolicyDocument=json.dumps(policy))
            key_id, secret = key["AccessKeyId"], key["SecretAccessKey"]
        else:
            key_id, secret = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        s3 = client("s3", key_id, secret)
        for bucket in buckets:
            s3.create_bucket(Bucket=bucket)
        print(key_id, secret)
        """

    private static let digestScript = """
        import base64, hashlib, boto3
        endpoint, key_id, secret, bucket = sys.argv[1:5]
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", verify=VERIFY,
                          aws_access_key_id=key_id, aws_secret_access_key=secret)
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
                print(base64.b64encode(item["Key"].encode()).decode(), hashlib.sha256(body).hexdigest())
        """
}
