public import HTTPClient
public import ServiceSupport

/// Region and endpoint lookup the way the AWS SDKs read it from the environment.
///
/// See https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html and
/// https://docs.aws.amazon.com/sdkref/latest/guide/feature-region.html.
public enum AWSEndpoint {
    /// The region from `AWS_REGION`, else `AWS_DEFAULT_REGION`.
    ///
    /// - Parameter environment: The variables to read.
    /// - Returns: The region, or `nil` when neither variable is set.
    public static func region(environment: EnvironmentReader) -> String? {
        environment.string("AWS_REGION") ?? environment.string("AWS_DEFAULT_REGION")
    }

    /// The endpoint of a service: `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`, else
    /// `https://<defaultHost>`; the overrides are ignored when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true.
    ///
    /// - Parameters:
    ///   - serviceVariable: The service part of the variable name, for example `STS` or `SECRETS_MANAGER`.
    ///   - defaultHost: The host used without an override, for example `sts.eu-west-1.amazonaws.com`.
    ///   - environment: The variables to read.
    ///   - source: Names the caller in errors.
    /// - Returns: The endpoint URL (an override may carry a path prefix).
    /// - Throws: ``CredentialError/Code/invalidConfiguration`` when an override is not an `http(s)` URL, or when
    ///   `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is not a Boolean.
    public static func url(
        serviceVariable: String,
        defaultHost: String,
        environment: EnvironmentReader,
        source: String
    ) throws(CredentialError) -> HTTPURL {
        let ignoresOverrides: Bool
        do {
            ignoresOverrides = try environment.bool("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", default: false)
        } catch {
            throw CredentialError(code: .invalidConfiguration, source: source, message: error.message)
        }
        if !ignoresOverrides {
            for name in ["AWS_ENDPOINT_URL_\(serviceVariable)", "AWS_ENDPOINT_URL"] {
                guard let text = environment.string(name) else { continue }
                return try parse(text, variable: name, source: source)
            }
        }
        return try parse("https://\(defaultHost)", variable: "region", source: source)
    }

    /// Parses a URL taken from configuration.
    ///
    /// - Parameters:
    ///   - text: The URL text.
    ///   - variable: The variable or setting it came from, for the error message.
    ///   - source: Names the caller in errors.
    /// - Returns: The URL.
    /// - Throws: ``CredentialError/Code/invalidConfiguration``.
    static func parse(_ text: String, variable: String, source: String) throws(CredentialError) -> HTTPURL {
        do {
            return try HTTPURL(parsing: text)
        } catch {
            throw CredentialError(
                code: .invalidConfiguration,
                source: source,
                message: "\(variable) is not a usable http(s) URL (\(error.detail ?? error.code.rawValue))"
            )
        }
    }
}
