/// The parts of a well-formed delivery stream ARN, `arn:<partition>:firehose:<region>:<account>:deliverystream/<name>`.
public struct FirehoseSourceARN: Sendable, Hashable {
    /// The AWS partition, for example `aws`, `aws-cn` or `aws-us-gov`.
    public let partition: String
    /// The region, for example `us-east-1`.
    public let region: String
    /// The account id (digits).
    public let account: String
    /// The delivery stream name.
    public let streamName: String

    /// Parses an ARN.
    /// - Parameter arn: The `X-Amz-Firehose-Source-Arn` header value.
    /// - Returns: `nil` unless the text has all six fields, service `firehose`, a non-empty region, an all-digit
    ///   account and a `deliverystream/<name>` resource with a non-empty name.
    public init?(_ arn: String) {
        let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn", !fields[1].isEmpty, fields[2] == "firehose" else { return nil }
        let prefix = "deliverystream/"
        let resource = fields[5]
        guard !fields[3].isEmpty, !fields[4].isEmpty, fields[4].allSatisfy({ $0.isASCII && $0.isNumber }),
            resource.hasPrefix(prefix), resource.count > prefix.count
        else { return nil }
        partition = String(fields[1])
        region = String(fields[3])
        account = String(fields[4])
        streamName = String(resource.dropFirst(prefix.count))
    }
}
