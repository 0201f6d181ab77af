import Foundation
import HTTPClient
import HTTPCore
import S3
import Sender
import Synchronization

/// A ``FirehoseTransport`` that delivers every request to two services, one writing to a local directory and
/// one writing to S3, and checks after each 200 from the S3 service that every object the local service wrote
/// for that request id is in S3 with the same bytes (so a 200 before all objects were stored is caught).
final class TeeTransport: FirehoseTransport {
    /// One delivered request.
    struct Delivery: Sendable {
        /// The Firehose request id.
        let requestID: String
        /// The local service's status.
        let localStatus: Int
        /// The S3 service's status.
        let s3Status: Int
        /// The S3 service's response body.
        let s3Body: [UInt8]
    }

    private let client = HTTPClient()
    private let localPort: Int
    private let localRoot: URL
    private let reader: S3Client
    private let bucket: String
    private let prefix: String
    private let log = Mutex<[Delivery]>([])
    private let problemLog = Mutex<[String]>([])

    /// Creates the transport.
    /// - Parameters:
    ///   - localPort: The port of the local-directory service.
    ///   - localRoot: Its sink directory.
    ///   - reader: A client reading the bucket directly (not through any fault proxy).
    ///   - bucket: The bucket of the S3 service.
    ///   - prefix: Its key prefix, ending in `/`.
    init(localPort: Int, localRoot: URL, reader: S3Client, bucket: String, prefix: String) {
        self.localPort = localPort
        self.localRoot = localRoot
        self.reader = reader
        self.bucket = bucket
        self.prefix = prefix
    }

    /// Every request delivered so far.
    var deliveries: [Delivery] { self.log.withLock { $0 } }

    /// Objects missing or different in S3 after a 200.
    var problems: [String] { self.problemLog.withLock { $0 } }

    func post(
        url: URL,
        headers: [(String, String)],
        body: [UInt8]
    ) throws
        -> (status: Int, headers: [(String, String)], body: [UInt8])
    {
        let requestID = headers.first { $0.0.lowercased() == "x-amz-firehose-request-id" }?.1 ?? ""
        let local = try self.send(port: self.localPort, headers: headers, body: body)
        let remote = try self.send(port: url.port ?? 80, headers: headers, body: body)
        if remote.status.code == 200 {
            self.verify(requestID: requestID)
        }
        self.log.withLock {
            $0.append(
                Delivery(
                    requestID: requestID,
                    localStatus: local.status.code,
                    s3Status: remote.status.code,
                    s3Body: remote.body
                )
            )
        }
        return (remote.status.code, remote.headers.map { ($0.name, $0.value) }, remote.body)
    }

    /// The local objects of a request id, as keys relative to the sink root.
    func localKeys(requestID: String) throws -> [String] {
        try S3EndToEndTests.objectFiles(under: self.localRoot)
            .filter { $0.lastPathComponent.hasPrefix(requestID + "-") }
            .map { String($0.path.dropFirst(self.localRoot.path.count + 1)) }
    }

    private func verify(requestID: String) {
        do {
            let keys = try self.localKeys(requestID: requestID)
            if keys.isEmpty {
                self.problemLog.withLock { $0.append("\(requestID): the local service wrote nothing") }
            }
            for key in keys {
                let expected = try [UInt8](Data(contentsOf: self.localRoot.appendingPathComponent(key)))
                let stored = try self.reader.getObject(bucket: self.bucket, key: self.prefix + key)
                if stored != expected {
                    self.problemLog.withLock { $0.append("\(key): bytes differ") }
                }
            }
        } catch {
            self.problemLog.withLock { $0.append("\(requestID): \(error)") }
        }
    }

    private func send(port: Int, headers: [(String, String)], body: [UInt8]) throws -> HTTPResponse {
        var fields = HTTPHeaders()
        for (name, value) in headers {
            fields.add(name: name, value: value)
        }
        let request = HTTPClientRequest(
            method: .post,
            host: "127.0.0.1",
            port: port,
            target: "/",
            headers: fields,
            body: body
        )
        return try self.client.send(request)
    }
}
