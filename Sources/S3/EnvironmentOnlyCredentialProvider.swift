public import AWSSigning

/// Static credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` (or the legacy
/// `AWS_SECURITY_TOKEN`), read once.
///
/// A stand-in until the full AWS credential chain (web identity, shared files, container, IMDS) is wired in:
/// any ``CredentialProvider`` can replace it.
public struct EnvironmentOnlyCredentialProvider: CredentialProvider {
    private let value: AWSCredentials?

    /// Reads the variables.
    /// - Parameter environment: The environment variables; empty values count as unset.
    public init(environment: [String: String]) {
        func read(_ name: String) -> String? {
            environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        if let accessKeyID = read("AWS_ACCESS_KEY_ID"), let secret = read("AWS_SECRET_ACCESS_KEY") {
            self.value = AWSCredentials(
                accessKeyID: accessKeyID,
                secretAccessKey: secret,
                sessionToken: read("AWS_SESSION_TOKEN") ?? read("AWS_SECURITY_TOKEN")
            )
        } else {
            self.value = nil
        }
    }

    /// Whether both the access key id and the secret were set.
    public var isConfigured: Bool { self.value != nil }

    /// Returns the credentials read from the environment.
    /// - Returns: The credentials.
    /// - Throws: ``S3Error`` with code `credentialsUnavailable` when the variables were not set.
    public func credentials() throws -> AWSCredentials {
        guard let value = self.value else {
            throw S3Error(
                .credentialsUnavailable,
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (this build reads credentials from the "
                    + "environment only)"
            )
        }
        return value
    }
}
