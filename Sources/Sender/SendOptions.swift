import Foundation

/// The options of `lakemark send`, parsed from the command line.
public struct SendOptions: Sendable {
    /// The endpoint (`--url`). Default: `http://127.0.0.1:8080/`.
    public var url: URL
    /// The access key (`--access-key`, else the `LAKEMARK_SEND_ACCESS_KEY` environment variable). Default: none.
    public var accessKey: String?
    /// Whether bodies are gzip-compressed (`--gzip`). Default: `false`.
    public var gzip: Bool
    /// The largest JSON body before compression, in MiB (`--max-batch-mib`, more than 0, at most 64). Default: 5.
    public var maxBatchMiB: Double
    /// The compacted common-attributes header value (`--common-attributes`). Default: none.
    public var commonAttributes: String?
    /// The source ARN header value (`--source-arn`).
    /// Default: `arn:aws:firehose:us-east-1:123456789012:deliverystream/lakemark-send`.
    public var sourceARN: String
    /// The number of requests in flight at once (`--concurrency`, 1–256). Default: 1.
    public var concurrency: Int
    /// How many times a failed request is resent with the same request id (`--retries`, 0–100). Default: 0.
    public var retries: Int
    /// The longest wait for one response, in seconds (`--timeout`). Default: 180.
    public var timeoutSeconds: Double
    /// Whether only the summary is printed (`--quiet`). Default: `false`.
    public var quiet: Bool
    /// Whether every request is built (base64, gzip) before the first is sent, so the reported time is the
    /// delivery alone, as when Firehose is the client (`--prebuild`, for benchmarks). Default: `false`.
    public var prebuild: Bool
    /// Whether the usage text was asked for (`--help`, `-h`). Default: `false`.
    public var showHelp: Bool
    /// The files and directories to send.
    public var paths: [String]

    /// The default endpoint.
    public static let defaultURL = URL(string: "http://127.0.0.1:8080/")!

    /// Creates options with every default and no paths.
    public init() {
        url = SendOptions.defaultURL
        accessKey = nil
        gzip = false
        maxBatchMiB = 5
        commonAttributes = nil
        sourceARN = FirehoseRequestBuilder.Configuration.defaultSourceARN
        concurrency = 1
        retries = 0
        timeoutSeconds = 180
        quiet = false
        prebuild = false
        showHelp = false
        paths = []
    }

    /// Parses command-line arguments (options may be written `--name value` or `--name=value`; `--` ends
    /// the options).
    ///
    /// - Parameters:
    ///   - arguments: The arguments after `send`.
    ///   - environment: The environment, for `LAKEMARK_SEND_ACCESS_KEY`.
    /// - Returns: The options.
    /// - Throws: ``SenderError`` with code `invalidArgument` naming the bad option.
    public static func parse(_ arguments: [String], environment: [String: String]) throws(SenderError) -> SendOptions {
        var options = SendOptions()
        var index = 0
        var optionsEnded = false
        func reject(_ message: String) -> SenderError {
            SenderError(code: .invalidArgument, message: message)
        }
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
                options.paths.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() throws(SenderError) -> String {
                if let inlineValue { return inlineValue }
                guard index < arguments.count else { throw reject("\(name) needs a value") }
                index += 1
                return arguments[index - 1]
            }
            func flag() throws(SenderError) {
                if inlineValue != nil { throw reject("\(name) takes no value") }
            }
            switch name {
            case "--help", "-h":
                try flag()
                options.showHelp = true
            case "--gzip":
                try flag()
                options.gzip = true
            case "--prebuild":
                try flag()
                options.prebuild = true
            case "--quiet", "-q":
                try flag()
                options.quiet = true
            case "--url":
                let text = try value()
                guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                    scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
                else { throw reject("--url: \(text) is not an http or https URL") }
                options.url = url
            case "--access-key":
                options.accessKey = try value()
            case "--common-attributes":
                options.commonAttributes = try CommonAttributes.validate(try value())
            case "--source-arn":
                options.sourceARN = try value()
            case "--max-batch-mib":
                let text = try value()
                guard let mib = Double(text), mib > 0, mib <= 64 else {
                    throw reject("--max-batch-mib: \(text) is not a number of MiB above 0 and at most 64")
                }
                options.maxBatchMiB = mib
            case "--concurrency":
                options.concurrency = try integer(try value(), name: name, range: 1...256)
            case "--retries":
                options.retries = try integer(try value(), name: name, range: 0...100)
            case "--timeout":
                let text = try value()
                guard let seconds = Double(text), seconds > 0, seconds <= 3_600 else {
                    throw reject("--timeout: \(text) is not a number of seconds above 0 and at most 3600")
                }
                options.timeoutSeconds = seconds
            default:
                throw reject("unknown option \(name)")
            }
        }
        if options.accessKey == nil, let key = environment[SendCommand.accessKeyVariable], !key.isEmpty {
            options.accessKey = key
        }
        return options
    }

    /// Parses an integer option within `range`.
    private static func integer(_ text: String, name: String, range: ClosedRange<Int>) throws(SenderError) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw SenderError(
                code: .invalidArgument,
                message: "\(name): \(text) is not an integer from \(range.lowerBound) to \(range.upperBound)"
            )
        }
        return value
    }

    /// The request builder configuration these options describe.
    public var builderConfiguration: FirehoseRequestBuilder.Configuration {
        FirehoseRequestBuilder.Configuration(
            maxBatchBytes: Int(maxBatchMiB * 1_048_576),
            sourceARN: sourceARN,
            accessKey: accessKey,
            commonAttributes: commonAttributes,
            gzip: gzip
        )
    }
}
