import AWSSigning
import Foundation
import NetworkTestSupport
import S3

/// Shared helpers of the S3 tests.
enum S3Fixtures {
    /// Whether moto can be used; the suites that need it are disabled with this reason otherwise.
    static let motoIsAvailable = MotoServer.unavailableReason == nil

    /// The repository root.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A client for moto (or a proxy in front of it), path-style, region `us-east-1`.
    /// - Parameters:
    ///   - moto: The server whose keys sign the requests.
    ///   - endpoint: The endpoint; default: moto's own.
    ///   - adjust: Changes to the configuration.
    ///   - clock: The client's local clock; default: the system clock.
    /// - Returns: The client.
    static func client(
        _ moto: MotoServer,
        endpoint: String? = nil,
        _ adjust: (inout S3Client.Configuration) -> Void = { _ in },
        clock: (@Sendable () -> Date)? = nil,
        credentials: (any CredentialProvider)? = nil
    ) throws -> S3Client {
        var configuration = S3Client.Configuration(region: "us-east-1")
        configuration.endpoint = endpoint ?? moto.endpoint
        if let caFile = moto.caFile {
            configuration.tls.caFilePath = caFile
        }
        adjust(&configuration)
        return try S3Client(
            configuration: configuration,
            credentials: credentials ?? self.credentials(moto),
            clock: clock ?? { Date() }
        )
    }

    /// moto's IAM key as a provider.
    static func credentials(_ moto: MotoServer) -> StaticCredentialProvider {
        StaticCredentialProvider(AWSCredentials(accessKeyID: moto.accessKeyID, secretAccessKey: moto.secretAccessKey))
    }

    /// Deterministic pseudo-random bytes.
    /// - Parameters:
    ///   - count: How many.
    ///   - seed: The seed.
    /// - Returns: The bytes.
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    /// The hex SHA-256 of bytes.
    static func sha256(_ bytes: [UInt8]) throws -> String {
        Crypto.hex(try Crypto.sha256(bytes))
    }
}
