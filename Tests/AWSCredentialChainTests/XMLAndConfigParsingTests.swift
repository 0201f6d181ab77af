@testable import AWSCredentialChain
import Testing

@Suite struct XMLAndConfigParsingTests {
    @Test func xmlElementsAndEntities() {
        let document = """
            <Root xmlns="urn:x"><Errors><Error>
              <Code>Throttling</Code><Message>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#65;&#x42;</Message>
            </Error></Errors><Empty/><Spaced attr="1">v</Spaced></Root>
            """[...]
        let error = XMLText.element("Error", in: document)
        #expect(error != nil)
        #expect(XMLText.text("Code", in: error!) == "Throttling")
        #expect(XMLText.text("Message", in: error!) == "a <b> & \"c\" 'd' AB")
        #expect(XMLText.element("Empty", in: document) == nil)
        #expect(XMLText.text("Spaced", in: document) == "v")
        #expect(XMLText.element("Missing", in: document) == nil)
        #expect(XMLText.decode("&bogus;"[...]) == nil)
        #expect(XMLText.decode("&#xD800;"[...]) == nil)
        #expect(XMLText.element("Open", in: "<Open>never closed"[...]) == nil)
    }

    @Test func formEncoding() {
        let body = STSClient.formEncode([("A", "x y/z+é~"), ("B", "")])
        #expect(String(decoding: body, as: UTF8.self) == "A=x%20y%2Fz%2B%C3%A9~&B=")
    }

    @Test func configSections() throws {
        let text = "[default]\nregion=us-east-1\n[profile a b]\nk = v = w\n[plain]\nx=1\n\t; indented comment\n"
        let config = try SharedConfigFile(parsing: text, isConfigFile: true, path: "config")
        #expect(config.profiles["default"] == ["region": "us-east-1"])
        #expect(config.profiles["a b"] == ["k": "v = w"])
        #expect(config.profiles["plain"] == nil)
        let credentials = try SharedConfigFile(parsing: text, isConfigFile: false, path: "credentials")
        #expect(credentials.profiles["profile a b"] != nil)
        #expect(credentials.profiles["plain"] == ["x": "1"])
        #expect(throws: CredentialError.self) {
            _ = try SharedConfigFile(parsing: "key=value\n", isConfigFile: false, path: "c")
        }
        #expect(throws: CredentialError.self) {
            _ = try SharedConfigFile(parsing: "[broken\n", isConfigFile: false, path: "c")
        }
    }

    @Test func errorCodesAndTransience() {
        #expect(SecretsManagerClient.shortErrorCode("com.amazonaws.x#Code:http://y") == "Code")
        #expect(SecretsManagerClient.shortErrorCode("Plain") == "Plain")
        #expect(
            CredentialError(code: .serviceError, source: "s", message: "m", serviceCode: "IDPCommunicationError")
                .isTransient
        )
        #expect(
            !CredentialError(code: .serviceError, source: "s", message: "m", httpStatus: 400, serviceCode: "X")
                .isTransient
        )
        #expect(CredentialError(code: .httpStatus, source: "s", message: "m", httpStatus: 429).isTransient)
        let text = CredentialError(code: .serviceError, source: "sts", message: "m", httpStatus: 403, serviceCode: "C")
            .description
        #expect(text == "sts: serviceError: m (HTTP 403) [C]")
    }

    @Test func loopbackDetection() {
        #expect(LoopbackHost.resolvesOnlyToLoopback("127.0.0.1"))
        #expect(LoopbackHost.resolvesOnlyToLoopback("127.9.9.9"))
        #expect(LoopbackHost.resolvesOnlyToLoopback("::1"))
        #expect(LoopbackHost.resolvesOnlyToLoopback("localhost"))
        #expect(!LoopbackHost.resolvesOnlyToLoopback("10.0.0.1"))
        #expect(!LoopbackHost.resolvesOnlyToLoopback("::ffff:10.0.0.1"))
        #expect(!LoopbackHost.resolvesOnlyToLoopback("no-such-host.invalid"))
    }
}
