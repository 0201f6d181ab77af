extension SendCommand {
    /// The `--help` text.
    public static let usage = """
        usage: lakemark send [options] <file or directory>...

        Reads security events and sends them to a Firehose HTTP endpoint the way Amazon Data Firehose does,
        then checks every response against the Firehose rules.

        Input: NDJSON, JSON arrays, CloudTrail {"Records":[…]}, single JSON objects, Firehose request bodies,
        Firehose transformation events and their decoded fixture twins. Directories are read recursively;
        files inside them that are not JSON (README.md, LICENSE, …) are skipped. `-` reads standard input.

        options:
          --url URL                 endpoint (default http://127.0.0.1:8080/)
          --access-key KEY          X-Amz-Firehose-Access-Key (default: $LAKEMARK_SEND_ACCESS_KEY)
          --gzip                    gzip request bodies (Content-Encoding: gzip)
          --max-batch-mib N         largest body before compression, in MiB (default 5, at most 64)
          --common-attributes JSON  X-Amz-Firehose-Common-Attributes, {"commonAttributes":{"k":"v"}}
          --source-arn ARN          X-Amz-Firehose-Source-Arn
                                    (default arn:aws:firehose:us-east-1:123456789012:deliverystream/lakemark-send)
          --concurrency N           requests in flight at once (default 1)
          --retries N               resend a failed request with the same id up to N times, backing off
                                    1 s, 2 s, 4 s … (±15 %, at most 120 s) (default 0)
          --timeout SECONDS         longest wait for one response (default 180)
          -q, --quiet               print only the summary
              --prebuild            build every request before sending the first (time delivery alone)
          -h, --help                print this text

        https:// URLs are verified against the system CA bundle, or the file in $AWS_CA_BUNDLE;
        $HTTPS_PROXY and $NO_PROXY are honoured.

        exit status: 0 all delivered, 1 some request failed, 2 usage or input error
        """
}
