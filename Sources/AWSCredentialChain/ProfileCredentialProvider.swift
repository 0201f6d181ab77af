public import AWSSigning
public import ServiceSupport

/// Credentials from a profile of the shared AWS files: `~/.aws/credentials` (or `AWS_SHARED_CREDENTIALS_FILE`)
/// and `~/.aws/config` (or `AWS_CONFIG_FILE`); the profile is `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`, else
/// `default`. Settings of the same profile in the credentials file win over the config file.
///
/// Supported profile kinds:
/// - static keys: `aws_access_key_id`, `aws_secret_access_key`, optional `aws_session_token`;
/// - assume role: `role_arn` with `source_profile` (another profile, resolved the same way, or the profile
///   itself for its own static keys) or `credential_source` (`Environment`, `EcsContainer`,
///   `Ec2InstanceMetadata`), plus optional `external_id`, `role_session_name`, `duration_seconds`;
/// - web identity: `role_arn` with `web_identity_token_file` (and optional `role_session_name`).
///
/// The files are read once, when the provider is created. Fetched credentials are cached and refreshed with
/// ``CredentialSourceOptions/refresh``.
public struct ProfileCredentialProvider: CredentialProvider {
    /// The profile used.
    public let profileName: String
    /// How the profile gets its credentials: `staticKeys`, `assumeRole` or `webIdentity`.
    public let kind: String
    private let resolved: any CredentialProvider

    /// Reads the shared files and resolves the profile.
    ///
    /// - Parameters:
    ///   - environment: The variables to read (`HOME` locates the default files).
    ///   - options: Transports, policies and refresh settings for fetched credentials.
    ///   - profile: The profile to use, or `nil` (the default) for `AWS_PROFILE`/`AWS_DEFAULT_PROFILE`/`default`.
    /// - Returns: `nil` when the profile is the implicit `default` and does not exist, or when the profile holds no
    ///   credential settings.
    /// - Throws: ``CredentialError``: `invalidConfiguration` for a named profile that does not exist, a missing
    ///   or looping source profile, an unsupported kind (`credential_process`, SSO) or a malformed file;
    ///   `fileUnreadable`; `tlsUnavailable`.
    public init?(
        environment: EnvironmentReader,
        options: CredentialSourceOptions,
        profile: String? = nil
    ) throws(CredentialError) {
        let explicit = profile ?? environment.string("AWS_PROFILE") ?? environment.string("AWS_DEFAULT_PROFILE")
        let name = explicit ?? "default"
        let profiles = try Self.loadProfiles(environment: environment)
        guard let settings = profiles[name] else {
            if explicit == nil { return nil }
            throw CredentialError(
                code: .invalidConfiguration,
                source: "profile",
                message: "profile \(name) is not in the shared credentials or config file"
            )
        }
        let resolver = ProfileResolver(profiles: profiles, environment: environment, options: options)
        guard let (provider, kind) = try resolver.resolve(name, settings: settings, visited: []) else { return nil }
        profileName = name
        self.kind = kind
        resolved = provider
    }

    /// The profile's credentials.
    ///
    /// - Returns: The credentials.
    /// - Throws: ``CredentialError`` from the underlying source.
    public func credentials() throws(CredentialError) -> AWSCredentials {
        try CredentialError.calling(resolved, source: "profile")
    }

    /// Drops cached role credentials (assume role, web identity) so the next call fetches new ones; static keys
    /// are unaffected.
    public func invalidate() {
        resolved.invalidate()
    }

    /// Both files merged by profile, the credentials file winning.
    private static func loadProfiles(
        environment: EnvironmentReader
    ) throws(CredentialError) -> [String: [String: String]] {
        let home = environment.string("HOME")
        let configPath = expand(environment.string("AWS_CONFIG_FILE"), home: home, fallback: ".aws/config")
        let credentialsPath = expand(
            environment.string("AWS_SHARED_CREDENTIALS_FILE"),
            home: home,
            fallback: ".aws/credentials"
        )
        var profiles: [String: [String: String]] = [:]
        if let configPath, let file = try SharedConfigFile.load(path: configPath, isConfigFile: true) {
            profiles = file.profiles
        }
        if let credentialsPath, let file = try SharedConfigFile.load(path: credentialsPath, isConfigFile: false) {
            for (name, settings) in file.profiles {
                profiles[name, default: [:]].merge(settings) { _, fromCredentials in fromCredentials }
            }
        }
        return profiles
    }

    /// `path` with a leading `~/` replaced by `home`, or `home/fallback` when `path` is `nil`.
    private static func expand(_ path: String?, home: String?, fallback: String) -> String? {
        guard let path else { return home.map { "\($0)/\(fallback)" } }
        if path == "~" { return home }
        if path.hasPrefix("~/"), let home { return home + path.dropFirst() }
        return path
    }
}
