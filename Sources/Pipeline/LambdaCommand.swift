import Foundation
import LambdaRuntime
import ServiceSupport
import TLS

/// `lakemark lambda`: the Firehose data-transformation function on a Lambda custom runtime (`provided.al2023`).
/// Also chosen when `lakemark` runs without a command and `AWS_LAMBDA_RUNTIME_API` is set (the `bootstrap`
/// case).
public enum LambdaCommand {
    /// Error types reported to Lambda.
    enum ErrorType {
        /// The configuration is invalid (init error).
        static let configuration = "Lakemark.ConfigurationInvalid"
        /// The mapping engine could not be built (init error).
        static let initialisation = "Lakemark.InitFailed"
    }

    /// Loads the configuration and the engine, then serves invocations until the Runtime API fails.
    /// - Parameter arguments: The arguments after `lambda` (only `--help`).
    /// - Returns: The exit code: 2 for bad configuration or a missing `AWS_LAMBDA_RUNTIME_API`, 1 when the engine
    ///   cannot be built or the Runtime API fails for good.
    public static func run(arguments: [String]) -> Int32 {
        let started = ContinuousClock.now
        if let first = arguments.first {
            let help = first == "--help" || first == "-h"
            let text = "usage: lakemark lambda   (needs AWS_LAMBDA_RUNTIME_API; configuration: `lakemark options`)\n"
            StandardStream.error.write(help ? text : "lakemark lambda: unknown argument \(first)\n")
            return help ? 0 : 2
        }
        var environment = ProcessInfo.processInfo.environment
        guard let endpoint = environment[LambdaRuntimeClient.endpointVariable] else {
            StandardStream.error.write(
                "lakemark lambda: \(LambdaRuntimeClient.endpointVariable) is not set (not in Lambda?)\n"
            )
            return 2
        }
        let client: LambdaRuntimeClient
        do {
            client = try LambdaRuntimeClient(endpoint: endpoint)
        } catch {
            StandardStream.error.write("lakemark lambda: \(error)\n")
            return 2
        }
        applySeedDefaults(&environment)
        let configuration: Configuration
        do {
            configuration = try ConfigurationLoader.load(path: nil, environment: environment)
        } catch {
            reportInitError(client, LambdaFunctionError(errorType: ErrorType.configuration, errorMessage: "\(error)"))
            return StartupFailure.report(Logger(label: "lakemark"), error)
        }
        var logger = Logger(
            label: "lakemark",
            level: LogLevel(name: configuration.logLevel) ?? .info,
            redactor: Redactor(secrets: [configuration.remoteMapping.apiKey ?? ""])
        )
        let transformer: LambdaTransformer
        do {
            (transformer, logger) = try makeTransformer(configuration, environment: environment, logger: logger)
        } catch {
            reportInitError(
                client,
                LambdaFunctionError(
                    errorType: error is ConfigurationError ? ErrorType.configuration : ErrorType.initialisation,
                    errorMessage: "\(error)"
                )
            )
            if let error = error as? ConfigurationError { return StartupFailure.report(logger, error) }
            return StartupFailure.report(
                logger,
                "\(error)",
                code: "start.failed",
                exitCode: StartupFailure.otherExitCode
            )
        }
        let unknown = ConfigurationLoader.unknownVariables(in: environment)
        if !unknown.isEmpty {
            logger.warning(
                "ignoring unknown variables; see `lakemark options`",
                ["variables": .string(unknown.joined(separator: ","))]
            )
        }
        if let warning = EngineFactory.thresholdWarning(configuration) { logger.warning(warning) }
        logger.notice(
            "lakemark lambda ready",
            [
                "init_ms": .double(milliseconds(ContinuousClock.now - started)),
                "version": .string(BuildInfo.version),
                "mapper": .string(configuration.mapper),
                "semantic_reranker": .string(EngineFactory.semanticRerankerState(configuration)),
                "entities": .string(configuration.entities.joined(separator: ",")),
                "frameworks": .string(configuration.frameworks.joined(separator: ",")),
            ]
        )
        let failure = client.run(
            { invocation in handle(invocation, transformer: transformer, logger: logger) },
            onAnswerFailure: { error, requestID in
                logger.error(
                    "answer not delivered",
                    [
                        "request_id": .string(requestID), "error_code": .string(error.code.name),
                        "error": .string(error.description),
                    ]
                )
            }
        )
        logger.critical(
            "runtime API failed; exiting",
            ["error_code": .string(failure.code.name), "error": .string(failure.description)]
        )
        return 1
    }

    /// The seed function always called the remote mapping API: when a `SECBERUS_API_KEY*` variable is set and
    /// neither `LAKEMARK_MAPPER` nor `LAKEMARK_CONFIG` is, the mapper is `remote`.
    static func applySeedDefaults(_ environment: inout [String: String]) {
        let keyVariables = ["SECBERUS_API_KEY", "SECBERUS_API_KEY_FILE", "SECBERUS_API_KEY_ARN"]
        guard environment["LAKEMARK_MAPPER"] == nil, environment["LAKEMARK_CONFIG"] == nil,
            keyVariables.contains(where: { !(environment[$0] ?? "").isEmpty })
        else { return }
        environment["LAKEMARK_MAPPER"] = "remote"
    }

    /// Builds the engine (embedded, or remote with its Secrets Manager key) and the transformer.
    private static func makeTransformer(
        _ configuration: Configuration,
        environment: [String: String],
        logger: Logger
    ) throws -> (LambdaTransformer, Logger) {
        var logger = logger
        let options = try EngineFactory.makeOptions(configuration)
        var tls: TLSConnector?
        if configuration.mapper != "embedded" {
            do {
                tls = try TLSConnector(configuration: .fromEnvironment(environment))
            } catch {
                logger.warning("https is unavailable", ["error_code": .string("tls.\(error.code)")])
            }
        }
        let engine = try EngineFactory.makeServiceEngine(
            configuration,
            options: options,
            logger: logger,
            tlsConnector: tls
        )
        if let key = engine.apiKey {
            guard key.utf8.count >= 8 else {
                throw ConfigurationError(.invalidValue, key: "api_key", "the mapping API key needs at least 8 bytes")
            }
            logger.redactor = logger.redactor.adding(secret: key)
        }
        let transformer = LambdaTransformer(
            configuration: configuration,
            mapper: engine.mapper,
            mappingOptions: options
        )
        return (transformer, logger)
    }

    /// Transforms one invocation and logs it.
    private static func handle(
        _ invocation: LambdaInvocation,
        transformer: LambdaTransformer,
        logger: Logger
    ) -> LambdaRuntimeClient.Outcome {
        let started = ContinuousClock.now
        let requestLogger = logger.with("request_id", .string(invocation.requestID))
        do {
            let (body, report) = try transformer.transform(invocation.event, timeLeft: invocation.remainingTime())
            LambdaInvocationLog.write(
                report,
                traceID: invocation.traceID,
                milliseconds: milliseconds(ContinuousClock.now - started),
                logger: requestLogger
            )
            return .response(body)
        } catch {
            requestLogger.error(
                "invocation failed",
                ["error_code": .string(error.code.name), "error": .string(error.message)]
            )
            return .failure(
                LambdaFunctionError(errorType: LambdaInvocationLog.errorType(error.code), errorMessage: error.message)
            )
        }
    }

    /// Tells Lambda initialisation failed; a Runtime API that cannot be told is only logged to stderr.
    private static func reportInitError(_ client: LambdaRuntimeClient, _ error: LambdaFunctionError) {
        do {
            try client.sendInitError(error)
        } catch {
            StandardStream.error.write("lakemark lambda: init error not delivered: \(error)\n")
        }
    }

    /// A duration in milliseconds, to 0.1 ms.
    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return ((Double(seconds) * 1_000 + Double(attoseconds) / 1e15) * 10).rounded() / 10
    }
}
