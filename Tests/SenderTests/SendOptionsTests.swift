import Foundation
import Sender
import Testing

@Suite struct SendOptionsTests {
    @Test func defaults() throws {
        let options = try SendOptions.parse(["events/"], environment: [:])
        #expect(options.url.absoluteString == "http://127.0.0.1:8080/")
        #expect(options.accessKey == nil)
        #expect(!options.gzip && !options.quiet && !options.showHelp)
        #expect(options.maxBatchMiB == 5)
        #expect(options.concurrency == 1 && options.retries == 0 && options.timeoutSeconds == 180)
        #expect(options.sourceARN == "arn:aws:firehose:us-east-1:123456789012:deliverystream/lakemark-send")
        #expect(options.paths == ["events/"])
        #expect(options.builderConfiguration.maxBatchBytes == 5 * 1_048_576)
    }

    @Test func parsesEveryOption() throws {
        let options = try SendOptions.parse(
            [
                "--url", "https://127.0.0.1:8443/ingest?tenant=a", "--access-key=k1", "--gzip",
                "--max-batch-mib", "0.5",
                "--common-attributes", #"{"commonAttributes": {"env": "dev"}}"#, "--source-arn", "arn:x",
                "--concurrency", "4", "--retries=3", "--timeout", "2.5", "-q", "a.json", "--", "--odd-name.json",
            ],
            environment: ["LAKEMARK_SEND_ACCESS_KEY": "from-env"]
        )
        #expect(options.url.absoluteString == "https://127.0.0.1:8443/ingest?tenant=a")
        #expect(options.accessKey == "k1")
        #expect(options.gzip && options.quiet)
        #expect(options.maxBatchMiB == 0.5)
        #expect(options.commonAttributes == #"{"commonAttributes":{"env":"dev"}}"#)
        #expect(options.sourceARN == "arn:x")
        #expect(options.concurrency == 4 && options.retries == 3 && options.timeoutSeconds == 2.5)
        #expect(options.paths == ["a.json", "--odd-name.json"])
    }

    @Test func accessKeyFallsBackToTheEnvironment() throws {
        let options = try SendOptions.parse(["x"], environment: ["LAKEMARK_SEND_ACCESS_KEY": "from-env"])
        #expect(options.accessKey == "from-env")
    }

    static let bad: [[String]] = [
        ["--url"], ["--url", "ftp://h/"], ["--url", "not a url"], ["--max-batch-mib", "65"], ["--max-batch-mib", "0"],
        ["--concurrency", "0"], ["--retries", "-1"], ["--timeout", "x"], ["--common-attributes", "{}"],
        ["--bogus"], ["--gzip=yes"],
    ]

    @Test(arguments: bad)
    func rejectsBadOptions(_ arguments: [String]) {
        #expect(throws: SenderError.self) { try SendOptions.parse(arguments + ["f"], environment: [:]) }
    }
}
