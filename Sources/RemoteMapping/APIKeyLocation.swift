public import AWSCredentialChain
import Foundation
public import ServiceSupport
import Synchronization

/// Where the API key comes from: the value itself, a file, or a Secrets Manager secret.
///
/// The description never shows a key value.
public enum APIKeyLocation: Sendable, Hashable, CustomStringConvertible {
    /// The key itself (`SECBERUS_API_KEY`).
    case value(String)
    /// A file holding the key, read again after a refusal (`SECBERUS_API_KEY_FILE`).
    case file(String)
    /// A Secrets Manager secret ARN (`SECBERUS_API_KEY_ARN`); the key is its `api_key` member or whole text.
    case secret(arn: String)

    /// `value (redacted)`, `file <path>` or `secret <arn>`.
    public var description: String {
        switch self {
        case .value: return "value (redacted)"
        case .file(let path): return "file \(path)"
        case .secret(let arn): return "secret \(arn)"
        }
    }

    /// Builds the key source.
    /// - Parameters:
    ///   - connectors: Transports for Secrets Manager and the credential chain (`https` needs a TLS connector).
    ///   - environment: Variables of the AWS credential chain and endpoint overrides.
    ///   - onRefreshFailure: Told about failed background reads of a secret (the app logs them). Default: none.
    /// - Returns: A source; nothing is read yet.
    /// - Throws: ``RemoteMappingError`` with ``RemoteMappingError/Code/invalidConfiguration`` for an ARN that is
    ///   not a Secrets Manager ARN or an endpoint that cannot be used.
    public func makeSource(
        connectors: AWSHTTPConnectors,
        environment: EnvironmentReader = EnvironmentReader(),
        onRefreshFailure: (@Sendable (CredentialError) -> Void)? = nil
    ) throws(RemoteMappingError) -> any APIKeySource {
        switch self {
        case .value(let key):
            return FixedAPIKey(key)
        case .file(let path):
            return FileAPIKey(path: path)
        case .secret(let arn):
            guard let region = SecretsManagerClient.region(fromARN: arn) else {
                throw RemoteMappingError(.invalidConfiguration, "not a Secrets Manager ARN: \(arn)")
            }
            let chain = DefaultCredentialChain(
                environment: environment,
                options: CredentialSourceOptions(connectors: connectors)
            )
            do {
                let client = try SecretsManagerClient(
                    region: region,
                    credentials: chain,
                    environment: environment,
                    connectors: connectors
                )
                var configuration = SecretCache.Configuration()
                configuration.onRefreshFailure = onRefreshFailure
                return SecretCache(client: client, secretID: arn, configuration: configuration)
            } catch {
                throw RemoteMappingError(.invalidConfiguration, "cannot build the Secrets Manager client: \(error)")
            }
        }
    }
}

/// A key given as a value; nothing to read again.
struct FixedAPIKey: APIKeySource, CustomStringConvertible {
    private let key: String

    /// Wraps a key (surrounding whitespace removed, as for a key file or secret).
    init(_ key: String) {
        self.key = key.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The key.
    func apiKey() -> String { key }

    /// Nothing to forget.
    func invalidate() {}

    /// Never shows the key.
    var description: String { "FixedAPIKey(redacted)" }
}

/// A key read from a file (surrounding whitespace trimmed), kept until invalidated.
final class FileAPIKey: APIKeySource, CustomStringConvertible {
    /// The file.
    let path: String
    private let cached = Mutex<String?>(nil)

    /// Creates a source; the file is read on first use.
    init(path: String) {
        self.path = path
    }

    /// The key, read from the file when not cached.
    /// - Throws: ``RemoteMappingError`` with ``RemoteMappingError/Code/apiKeyUnavailable``.
    func apiKey() throws(RemoteMappingError) -> String {
        if let key = cached.withLock({ $0 }) { return key }
        guard let data = FileManager.default.contents(atPath: path), data.count <= 65_536 else {
            throw RemoteMappingError(.apiKeyUnavailable, "api_key_file: cannot read \(path) (or larger than 64 KiB)")
        }
        let key = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { throw RemoteMappingError(.apiKeyUnavailable, "api_key_file: \(path) is empty") }
        cached.withLock { $0 = key }
        return key
    }

    /// Makes the next call read the file again.
    func invalidate() {
        cached.withLock { $0 = nil }
    }

    /// Never shows the key.
    var description: String { "FileAPIKey(\(path))" }
}
