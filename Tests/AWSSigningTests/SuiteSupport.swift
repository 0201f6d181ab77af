import AWSSigning
import Foundation
import NetworkTestSupport

/// Where the official SigV4 vectors live: the shared reference folder (complete) and the bundled fixtures (a few).
enum VectorLocations {
    /// `<shared>/testdata/sigv4`, from `$LAKEMARK_SHARED`, `<repo>/../shared` or `/work/shared`; `nil` if absent.
    static let shared: URL? = ReferenceMaterial.sharedDirectory(holding: "testdata/sigv4")?
        .appendingPathComponent("testdata/sigv4")

    /// The fixtures copied into this test target.
    static let bundled: URL = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

    /// The skip message for tests that need the shared folder.
    static let sharedMissing = "shared SigV4 vectors not found (set LAKEMARK_SHARED to the shared folder)"
}

/// A request read from a suite's `.req` / `request.txt` file.
struct SuiteRequest {
    /// The HTTP method.
    var method: String
    /// The path part of the request target, as written in the file.
    var path: String
    /// The query part of the request target without `?`, as written in the file.
    var query: String
    /// The headers in file order; folded lines keep their line break.
    var headers: [(name: String, value: String)]
    /// The body bytes.
    var body: [UInt8]

    /// Parses the raw request format of the suites: request line, header lines (a line starting with a space or
    /// tab continues the previous value), an empty line, the body. The target may contain spaces.
    init(_ text: String) throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let requestLine = lines.removeFirst()
        guard let firstSpace = requestLine.firstIndex(of: " "), let lastSpace = requestLine.lastIndex(of: " "),
            firstSpace < lastSpace
        else { throw SuiteFormatError(detail: "bad request line \(requestLine)") }
        method = String(requestLine[..<firstSpace])
        let target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])
        if let question = target.firstIndex(of: "?") {
            path = String(target[..<question])
            query = String(target[target.index(after: question)...])
        } else {
            path = target
            query = ""
        }
        headers = []
        var bodyLines: [String] = []
        var inBody = false
        for line in lines {
            if inBody {
                bodyLines.append(line)
            } else if line.isEmpty {
                inBody = true
            } else if line.first == " " || line.first == "\t" {
                guard !headers.isEmpty else { throw SuiteFormatError(detail: "continuation without a header") }
                headers[headers.count - 1].value += "\n" + line
            } else {
                guard let colon = line.firstIndex(of: ":") else { throw SuiteFormatError(detail: "bad header \(line)") }
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        body = Array(bodyLines.joined(separator: "\n").utf8)
    }

    /// Removes the headers named `name` (any case) and returns the value of the last one.
    mutating func removeHeader(_ name: String) -> String? {
        let lower = name.lowercased()
        let value = headers.last { $0.name.lowercased() == lower }?.value
        headers.removeAll { $0.name.lowercased() == lower }
        return value
    }

    /// The request for the signer, signing every header present (as both suites do).
    func signingRequest(payloadHash: String) throws -> SigV4Request {
        SigV4Request(
            method: method,
            path: path,
            queryItems: try SigV4Request.queryItems(fromEncoded: query),
            headers: headers,
            payloadHash: payloadHash,
            signedHeaderNames: headers.map(\.name)
        )
    }
}

/// A malformed suite file.
struct SuiteFormatError: Error, CustomStringConvertible {
    /// What is wrong.
    var detail: String
    var description: String { detail }
}

/// The constants shared by every case of both suites.
enum SuiteConstants {
    static let accessKeyID = "AKIDEXAMPLE"
    static let secretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let region = "us-east-1"
    static let service = "service"
}

/// Reads a UTF-8 file exactly (no newline handling).
func readText(_ url: URL) throws -> String {
    String(decoding: try Data(contentsOf: url), as: UTF8.self)
}

/// Parses `YYYYMMDD'T'HHMMSS'Z'` or `YYYY-MM-DD'T'HH:MM:SS'Z'` as UTC.
func parseUTC(_ text: String) throws -> Date {
    let digits = text.filter(\.isNumber)
    guard digits.count == 14 else { throw SuiteFormatError(detail: "bad timestamp \(text)") }
    var components = DateComponents()
    let numbers = Array(digits)
    func number(_ range: Range<Int>) -> Int { Int(String(numbers[range]))! }
    components.year = number(0..<4)
    components.month = number(4..<6)
    components.day = number(6..<8)
    components.hour = number(8..<10)
    components.minute = number(10..<12)
    components.second = number(12..<14)
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    guard let date = calendar.date(from: components) else { throw SuiteFormatError(detail: "bad timestamp \(text)") }
    return date
}
