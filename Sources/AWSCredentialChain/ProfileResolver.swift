import AWSSigning
import ServiceSupport

/// Turns a profile's settings into a provider, following `source_profile` links.
struct ProfileResolver {
    /// Settings by profile name, both files merged.
    let profiles: [String: [String: String]]
    /// The variables `credential_source = Environment` and STS endpoint overrides read.
    let environment: EnvironmentReader
    /// Transports, policies and refresh settings for the providers built.
    let options: CredentialSourceOptions

    /// The longest `source_profile` chain followed.
    static let maxDepth = 8

    /// Resolves one profile.
    ///
    /// - Parameters:
    ///   - name: The profile name.
    ///   - settings: Its settings.
    ///   - visited: Profiles already on the current `source_profile` chain.
    /// - Returns: The provider and its kind, or `nil` when the profile has no credential settings.
    /// - Throws: ``CredentialError``.
    func resolve(
        _ name: String,
        settings: [String: String],
        visited: [String]
    ) throws(CredentialError) -> (any CredentialProvider, String)? {
        if let roleARN = settings["role_arn"] {
            return try resolveRole(name, roleARN: roleARN, settings: settings, visited: visited)
        }
        if let keys = try staticKeys(name, settings: settings) {
            return (StaticCredentialProvider(keys), "staticKeys")
        }
        if settings["web_identity_token_file"] != nil {
            throw invalid("profile \(name) has web_identity_token_file without role_arn")
        }
        for key in ["credential_process", "sso_session", "sso_start_url", "login_session"] where settings[key] != nil {
            throw invalid("profile \(name) uses \(key), which this client does not support")
        }
        return nil
    }

    /// A `role_arn` profile: web identity, or `AssumeRole` on top of its source.
    private func resolveRole(
        _ name: String,
        roleARN: String,
        settings: [String: String],
        visited: [String]
    ) throws(CredentialError) -> (any CredentialProvider, String) {
        let region = AWSEndpoint.region(environment: environment) ?? settings["region"]
        let sts = try STSClient.endpoint(region: region, environment: environment)
        let duration = try durationSeconds(name, settings: settings)
        if let tokenFile = settings["web_identity_token_file"] {
            let provider = try WebIdentityCredentialProvider(
                tokenFile: tokenFile,
                roleARN: roleARN,
                sessionName: settings["role_session_name"],
                durationSeconds: duration,
                stsEndpoint: sts.url,
                connectors: options.connectors,
                policy: options.stsPolicy
            )
            return (options.refreshing(provider, source: "webIdentity"), "webIdentity")
        }
        let base: any CredentialProvider
        switch (settings["source_profile"], settings["credential_source"]) {
        case (let source?, nil):
            base = try sourceProfile(source, of: name, settings: settings, visited: visited)
        case (nil, let source?):
            base = try credentialSource(source, of: name)
        case (nil, nil):
            throw invalid("profile \(name) has role_arn without source_profile or credential_source")
        case (_?, _?):
            throw invalid("profile \(name) sets both source_profile and credential_source")
        }
        let role = AssumeRoleCredentialProvider.Role(
            arn: roleARN,
            externalID: settings["external_id"],
            sessionName: settings["role_session_name"],
            durationSeconds: duration
        )
        let provider = try AssumeRoleCredentialProvider(
            base: base,
            role: role,
            stsEndpoint: sts.url,
            signingRegion: sts.signingRegion,
            connectors: options.connectors,
            policy: options.stsPolicy,
            now: options.refresh.now
        )
        return (options.refreshing(provider, source: "assumeRole"), "assumeRole")
    }

    /// The provider behind `source_profile`.
    private func sourceProfile(
        _ source: String,
        of name: String,
        settings: [String: String],
        visited: [String]
    ) throws(CredentialError) -> any CredentialProvider {
        if source == name {
            guard let keys = try staticKeys(name, settings: settings) else {
                throw invalid("profile \(name) names itself as source_profile but has no static keys")
            }
            return StaticCredentialProvider(keys)
        }
        guard !visited.contains(source), !(visited + [name]).contains(source), visited.count < Self.maxDepth else {
            throw invalid("the source_profile chain from profile \(name) loops or is too long")
        }
        guard let sourceSettings = profiles[source] else {
            throw invalid("profile \(name) names source_profile \(source), which does not exist")
        }
        guard let (provider, _) = try resolve(source, settings: sourceSettings, visited: visited + [name]) else {
            throw invalid("source_profile \(source) of profile \(name) holds no credentials")
        }
        return provider
    }

    /// The provider behind `credential_source`.
    private func credentialSource(_ source: String, of name: String) throws(CredentialError) -> any CredentialProvider {
        switch source {
        case "Environment":
            guard let provider = try EnvironmentCredentialProvider(environment: environment) else {
                throw invalid("profile \(name) uses credential_source Environment but AWS_ACCESS_KEY_ID is not set")
            }
            return provider
        case "EcsContainer":
            guard
                let provider = try ContainerCredentialProvider(
                    environment: environment,
                    connectors: options.connectors,
                    baseURL: options.containerBaseURL,
                    policy: options.containerPolicy,
                    now: options.refresh.now
                )
            else {
                throw invalid("profile \(name) uses credential_source EcsContainer but no container URI is set")
            }
            return options.refreshing(provider, source: "container")
        case "Ec2InstanceMetadata":
            guard
                let provider = try InstanceMetadataCredentialProvider(
                    environment: environment,
                    connectors: options.connectors,
                    policy: options.instanceMetadataPolicy,
                    now: options.refresh.now
                )
            else {
                throw invalid("profile \(name) uses credential_source Ec2InstanceMetadata but IMDS is disabled")
            }
            return options.refreshing(provider, source: "instanceMetadata")
        default:
            throw invalid("profile \(name) has an unknown credential_source \(source)")
        }
    }

    /// The profile's static keys, or `nil` when it has none.
    private func staticKeys(_ name: String, settings: [String: String]) throws(CredentialError) -> AWSCredentials? {
        let accessKeyID = settings["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
        let secretAccessKey = settings["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
        switch (accessKeyID, secretAccessKey) {
        case (nil, nil):
            return nil
        case (let accessKeyID?, let secretAccessKey?):
            let token = settings["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
            return AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: token)
        default:
            throw invalid("profile \(name) must set aws_access_key_id and aws_secret_access_key together")
        }
    }

    /// `duration_seconds`, checked against STS's 900–43,200 s range.
    private func durationSeconds(_ name: String, settings: [String: String]) throws(CredentialError) -> Int? {
        guard let text = settings["duration_seconds"] else { return nil }
        guard let value = Int(text), (900...43_200).contains(value) else {
            throw invalid("profile \(name) has a duration_seconds outside 900...43200")
        }
        return value
    }

    /// An ``CredentialError/Code/invalidConfiguration`` error from the profile source.
    private func invalid(_ message: String) -> CredentialError {
        CredentialError(code: .invalidConfiguration, source: "profile", message: message)
    }
}
