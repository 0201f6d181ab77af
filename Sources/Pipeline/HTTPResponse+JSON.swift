import HTTPCore

extension HTTPResponse {
    /// A response with a JSON body and `Content-Type: application/json`.
    /// - Parameters:
    ///   - status: the status code.
    ///   - json: the body, already JSON text.
    ///   - closesConnection: add `Connection: close`.
    init(status: Int, json: [UInt8], closesConnection: Bool = false) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        if closesConnection { headers.add(name: "Connection", value: "close") }
        self.init(status: HTTPStatus(code: status), headers: headers, body: json)
    }
}
