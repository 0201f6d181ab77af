import Foundation
import Mapping
import Pipeline
import Sender
import ServiceSupport

/// `lakemark <command>`: the service, the Firehose client, the map API on the command line.
let arguments = Array(CommandLine.arguments.dropFirst())
let usage = """
    usage: lakemark <command> [options]

      serve [--config FILE]     run the Firehose HTTP endpoint (configuration: README, `lakemark options`)
      send [options] FILE|DIR…  send events as Firehose requests and check the answers (`lakemark send --help`)
      map [--model DIR]         read a /v1/map request on stdin, print the response
      embed --model DIR         sentence embeddings (all-MiniLM-L6-v2) of `id<TAB>text` lines on stdin
      frameworks                print the frameworks of the embedded engine
      options                   print the configuration reference (Markdown)
      bench-stages FILE         time each pipeline stage on an NDJSON corpus
      healthcheck [--url URL]   GET /healthz of the running service, exit 0 on 200 (container health checks)
      lambda                    run as a Firehose data-transformation Lambda (custom runtime; README "Lambda")
      version                   print the version
    """

/// Help for the commands that take no options; anything else after them is refused.
let commandHelp = [
    "frameworks": "usage: lakemark frameworks\n\nPrints the frameworks of the embedded engine (GET /v1/frameworks).",
    "options": "usage: lakemark options\n\nPrints the configuration reference (Markdown table).",
    "version": "usage: lakemark version",
]
if let command = arguments.first, let help = commandHelp[command], arguments.count > 1 {
    if ["--help", "-h"].contains(arguments[1]) {
        print(help)
        exit(0)
    }
    StandardStream.error.write("lakemark \(command): unknown argument '\(arguments[1])'\n\n\(help)\n")
    exit(2)
}

switch arguments.first ?? (ProcessInfo.processInfo.environment["AWS_LAMBDA_RUNTIME_API"] != nil ? "lambda" : nil) {
case "lambda":
    exit(LambdaCommand.run(arguments: Array(arguments.dropFirst())))
case "serve":
    exit(ServeCommand.run(arguments: Array(arguments.dropFirst())))
case "send":
    exit(SendCommand.run(arguments: Array(arguments.dropFirst())))
case "map":
    exit(MapCommand.run(arguments: Array(arguments.dropFirst())))
case "embed":
    exit(EmbedCommand.run(arguments: Array(arguments.dropFirst())))
case "frameworks":
    StandardStream.output.write(MapAPI.frameworksResponse() + [0x0A])
case "options":
    print(ConfigurationReference.markdown(), terminator: "")
case "healthcheck":
    exit(HealthCheckCommand.run(arguments: Array(arguments.dropFirst())))
case "bench-stages":
    exit(StageBenchmark.run(arguments: Array(arguments.dropFirst())))
case "version", "--version":
    print("lakemark \(BuildInfo.version)")
case "help", "--help", "-h":
    print(usage)
case nil:
    StandardStream.error.write(usage + "\n")
    exit(2)
case let command?:
    StandardStream.error.write("lakemark: unknown command '\(command)'\n\n\(usage)\n")
    exit(2)
}
