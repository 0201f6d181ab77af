import Foundation

/// A throw-away PKI made with the `openssl` command line: a CA and two server certificates it signed, one for
/// `localhost` and `127.0.0.1`, one for `wrong.example` only.
public struct TestCertificates: Sendable {
    /// The directory holding every file.
    public let directory: URL
    /// The CA certificate (PEM), the trust anchor for tests.
    public let caCertificate: String
    /// The certificate for `localhost` and `127.0.0.1`.
    public let serverCertificate: String
    /// The key of ``serverCertificate``.
    public let serverKey: String
    /// The certificate that names only `wrong.example`.
    public let wrongNameCertificate: String
    /// The key of ``wrongNameCertificate``.
    public let wrongNameKey: String

    /// Generates the CA and certificates into a new temporary directory.
    /// - Throws: ``TestFailure`` when an `openssl` command fails.
    public init() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("lakemark-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        func openssl(_ arguments: [String]) throws {
            let (status, output) = try ChildProcess.run("openssl", arguments)
            guard status == 0 else {
                throw TestFailure("openssl \(arguments.first ?? "") failed: \(output)")
            }
        }
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", path("ca.key"), "-out", path("ca.pem"), "-days", "2", "-subj", "/CN=Lakemark Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        for (name, names) in [("server", "DNS:localhost,IP:127.0.0.1"), ("wrong", "DNS:wrong.example")] {
            try openssl([
                "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", "/CN=\(name)",
            ])
            let extensions = "subjectAltName=\(names)\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n"
            try Data(extensions.utf8).write(to: directory.appendingPathComponent("\(name).ext"))
            try openssl([
                "x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-out", path("\(name).pem"), "-days", "2", "-extfile", path("\(name).ext"),
            ])
        }
        self.directory = directory
        self.caCertificate = path("ca.pem")
        self.serverCertificate = path("server.pem")
        self.serverKey = path("server.key")
        self.wrongNameCertificate = path("wrong.pem")
        self.wrongNameKey = path("wrong.key")
    }
}
