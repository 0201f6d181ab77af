import Foundation
import Testing

/// A moto server (`Tests/AWSCredentialChainTests/moto_peer.py`) on 127.0.0.1, started once per test process and
/// driven with JSON commands; it exits when this process closes its stdin.
final class MotoPeer: @unchecked Sendable {
    /// Server without authentication (unsigned STS calls work).
    static let open = Result { try MotoPeer(auth: false) }
    /// Server that verifies SigV4 signatures for IAM keys it created.
    static let authenticated = Result { try MotoPeer(auth: true) }

    /// Whether python3 can import moto's server and boto3.
    static let isAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import moto.server, boto3, flask_cors"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    static let unavailableMessage: Comment = "moto is not installed for python3 (pip install 'moto[server]')"

    private(set) var endpoint: String
    private(set) var region: String
    /// The IAM access key the authenticated server accepts.
    private(set) var accessKeyID: String
    private(set) var secretAccessKey: String

    private let process: Process
    private let input: FileHandle
    private let output: FileHandle
    private var pending: [UInt8] = []
    private let lock = NSLock()

    private init(auth: Bool) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("moto_peer.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + (auth ? ["--auth"] : [])
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        input = stdin.fileHandleForWriting
        output = stdout.fileHandleForReading
        endpoint = ""
        region = ""
        accessKeyID = ""
        secretAccessKey = ""
        let info = try readObject()
        guard let endpoint = info["endpoint"] as? String, let region = info["region"] as? String else {
            throw TestFailure("moto peer did not start: \(info)")
        }
        self.endpoint = endpoint
        self.region = region
        accessKeyID = info["accessKeyId"] as? String ?? "AKIAEXAMPLEBOOTSTRAP"
        secretAccessKey = info["secretAccessKey"] as? String ?? "bootstrap-secret"
    }

    /// Runs one command (see the script) and returns its JSON answer.
    func run(_ command: [String: String]) throws -> [String: Any] {
        lock.lock()
        defer { lock.unlock() }
        let line = try JSONSerialization.data(withJSONObject: command) + Data("\n".utf8)
        try input.write(contentsOf: line)
        let answer = try readObject()
        if let error = answer["error"] as? String { throw TestFailure("moto command failed: \(error)") }
        return answer
    }

    private func readObject() throws -> [String: Any] {
        while true {
            if let newline = pending.firstIndex(of: 10) {
                let line = Data(pending[..<newline])
                pending.removeSubrange(...newline)
                guard let object = try JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                    throw TestFailure("moto peer sent a non-object line")
                }
                return object
            }
            let chunk = output.availableData
            guard !chunk.isEmpty else {
                throw TestFailure("moto peer exited")
            }
            pending += chunk
        }
    }
}
