import Foundation

/// STS query-protocol answers, shaped like the documented ones.
enum FakeSTS {
    static func success(result: String, key: String, expiration: String = "2099-01-01T00:00:00Z") -> FakeResponse {
        let response = result.replacingOccurrences(of: "Result", with: "Response")
        let body = """
            <\(response) xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <\(result)>
                <Credentials>
                  <AccessKeyId>\(key)</AccessKeyId>
                  <SecretAccessKey>secret&amp;&#x2F;\(key)</SecretAccessKey>
                  <SessionToken>token-\(key)</SessionToken>
                  <Expiration>\(expiration)</Expiration>
                </Credentials>
                <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>
              </\(result)>
              <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
            </\(response)>
            """
        return FakeResponse(status: 200, headers: [("Content-Type", "text/xml")], body: body)
    }

    static func error(code: String, message: String, status: Int = 400) -> FakeResponse {
        let body = """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <Error><Type>Sender</Type><Code>\(code)</Code><Message>\(message)</Message></Error>
              <RequestId>req-2</RequestId>
            </ErrorResponse>
            """
        return FakeResponse(status: status, headers: [("Content-Type", "text/xml")], body: body)
    }

    /// Decodes an `application/x-www-form-urlencoded` body.
    static func form(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0) }
            let value = parts.count > 1 ? parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding : ""
            fields[parts[0]] = value
        }
        return fields
    }
}
