public import AWSSigning
public import ServiceSupport

/// Long-term or session credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and the optional
/// `AWS_SESSION_TOKEN` (or the older `AWS_SECURITY_TOKEN`). They are read once and never refreshed.
public struct EnvironmentCredentialProvider: CredentialProvider {
    private let value: AWSCredentials

    /// Reads the variables.
    ///
    /// - Parameter environment: The variables to read.
    /// - Returns: `nil` when neither key variable is set.
    /// - Throws: ``CredentialError/Code/invalidConfiguration`` when only one of the two key variables is set.
    public init?(environment: EnvironmentReader) throws(CredentialError) {
        let accessKeyID = environment.string("AWS_ACCESS_KEY_ID")
        let secretAccessKey = environment.string("AWS_SECRET_ACCESS_KEY")
        switch (accessKeyID, secretAccessKey) {
        case (nil, nil):
            return nil
        case (let accessKeyID?, let secretAccessKey?):
            let token = environment.string("AWS_SESSION_TOKEN") ?? environment.string("AWS_SECURITY_TOKEN")
            value = AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: token)
        default:
            throw CredentialError(
                code: .invalidConfiguration,
                source: "environment",
                message: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together"
            )
        }
    }

    /// Returns the credentials read from the environment.
    ///
    /// - Returns: The credentials (no expiry).
    public func credentials() throws(CredentialError) -> AWSCredentials { value }
}
