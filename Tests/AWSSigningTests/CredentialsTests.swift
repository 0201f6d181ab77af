import AWSSigning
import Foundation
import Testing

/// Secrets never appear in descriptions, reflection, signer output or errors.
@Suite struct CredentialsTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "IQoJb3JpZ2luX2VjEXAMPLETOKENVALUE+/=="
    static let credentials = AWSCredentials(
        accessKeyID: "ASIAEXAMPLEKEYID",
        secretAccessKey: secret,
        sessionToken: token,
        expiration: Date(timeIntervalSince1970: 2_000_000_000)
    )

    static func assertNoSecrets(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!text.contains(secret), sourceLocation: sourceLocation)
        #expect(!text.contains(token), sourceLocation: sourceLocation)
        #expect(!text.contains("K7MDENG"), sourceLocation: sourceLocation)
    }

    @Test func descriptionsRedactSecrets() {
        let texts = [
            Self.credentials.description,
            Self.credentials.debugDescription,
            String(describing: Self.credentials),
            String(reflecting: Self.credentials),
            "\(Self.credentials)",
            "\([Self.credentials])",
            "\(Optional(Self.credentials) as Any)",
        ]
        for text in texts {
            Self.assertNoSecrets(text)
            #expect(text.contains("ASIAEXAMPLEKEYID"))
            #expect(text.contains("<redacted>"))
        }
    }

    @Test func dumpAndContainingTypesRedactSecrets() {
        var dumped = ""
        dump(Self.credentials, to: &dumped)
        Self.assertNoSecrets(dumped)
        #expect(dumped.contains("ASIAEXAMPLEKEYID"))
        let signer = SigV4Signer(service: "s3", region: "us-east-1", credentials: Self.credentials, options: .s3)
        var dumpedSigner = ""
        dump(signer, to: &dumpedSigner)
        Self.assertNoSecrets(dumpedSigner)
        Self.assertNoSecrets("\(signer)")
        Self.assertNoSecrets(String(reflecting: signer))
        let mirrorText = Mirror(reflecting: Self.credentials).children.map { "\($0.label ?? ""):\($0.value)" }
        Self.assertNoSecrets(mirrorText.joined())
    }

    @Test func longTermCredentialsSayNoToken() {
        let plain = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: Self.secret)
        #expect(plain.description.contains("sessionToken: none"))
        Self.assertNoSecrets(plain.description)
    }

    @Test func signatureOutputCarriesNoSecretKey() throws {
        let signer = SigV4Signer(service: "s3", region: "us-east-1", credentials: Self.credentials, options: .s3)
        let request = SigV4Request(method: "GET", path: "/k", headers: [("Host", "b.s3.amazonaws.com")])
        let signature = try signer.sign(request, at: Date(timeIntervalSince1970: 1_900_000_000))
        #expect(!signature.authorization.contains(Self.secret))
        #expect(!signature.canonicalRequest.contains(Self.secret))
        #expect(!signature.stringToSign.contains(Self.secret))
    }

    @Test func errorsCarryNoSecrets() {
        let signer = SigV4Signer(service: "s3", region: "us-east-1", credentials: Self.credentials, options: .s3)
        let request = SigV4Request(method: "GET", path: "/k", headers: [("Host", "b")])
        let late = Date(timeIntervalSince1970: 2_100_000_000)
        let error = #expect(throws: SigningError.self) { try signer.sign(request, at: late) }
        #expect(error?.code == .expiredCredentials)
        Self.assertNoSecrets(String(describing: error))
        Self.assertNoSecrets(error?.message ?? "")
    }

    @Test func expiry() {
        #expect(!Self.credentials.isExpired(at: Date(timeIntervalSince1970: 1_999_999_999)))
        #expect(Self.credentials.isExpired(at: Date(timeIntervalSince1970: 2_000_000_000)))
        #expect(!AWSCredentials(accessKeyID: "a", secretAccessKey: "b").isExpired(at: .distantFuture))
    }
}
