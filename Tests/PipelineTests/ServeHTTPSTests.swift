@testable import Pipeline
import Testing

/// Which configurations load the CA file at start (a bad one is reported then) rather than on first use.
@Suite struct ServeHTTPSTests {
    @Test func localSinkAndEmbeddedEngineMakeNoHTTPSConnection() {
        #expect(!ServeCommand.usesHTTPS(Configuration()))
    }

    @Test func s3RemoteMappingAndSecretsAreHTTPS() {
        var s3 = Configuration()
        s3.sink = .s3(bucket: "lake", prefix: "events/")
        #expect(ServeCommand.usesHTTPS(s3))
        for mapper in ["remote", "remote-fallback"] {
            var remote = Configuration()
            remote.mapper = mapper
            #expect(ServeCommand.usesHTTPS(remote), "\(mapper)")
        }
        var secret = Configuration()
        secret.apiKeySecretARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:mapping-key"
        #expect(ServeCommand.usesHTTPS(secret))
    }
}
