import Foundation
import HTTPServer
import ServiceSupport
import TLS

/// `lakemark serve [--config FILE]`.
public enum ServeCommand {
    /// Runs the service until SIGTERM/SIGINT (blocked from the start and taken by ``Service/runUntilSignalled()``).
    /// - Parameter arguments: the arguments after `serve`.
    /// - Returns: the process exit code (0 after a clean shutdown, 2 for bad configuration, 1 otherwise).
    public static func run(arguments: [String]) -> Int32 {
        // Before any thread starts: a SIGTERM during start-up then waits for the service instead of being lost.
        ProcessSignals.block()
        var configPath: String?
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--config" where index + 1 < arguments.count:
                configPath = arguments[index + 1]
                index += 2
            case "--config":
                StandardStream.error.write("lakemark serve: --config needs a file path\n")
                return 2
            case "--help", "-h":
                print("usage: lakemark serve [--config FILE]\n\nOptions (file keys and environment variables):\n")
                print(ConfigurationReference.markdown())
                return 0
            default:
                StandardStream.error.write("lakemark serve: unknown argument \(arguments[index])\n")
                return 2
            }
        }
        let configuration: Configuration
        do {
            configuration = try ConfigurationLoader.load(
                path: configPath,
                environment: ProcessInfo.processInfo.environment
            )
        } catch {
            // No log level is known yet: the line goes out at the default one, in the same form as later failures.
            return StartupFailure.report(Logger(label: "lakemark"), error)
        }
        AllocatorTuning.apply()
        let logger = Logger(
            label: "lakemark",
            level: LogLevel(name: configuration.logLevel) ?? .info,
            redactor: Redactor(secrets: configuration.accessKeys + [configuration.remoteMapping.apiKey ?? ""])
        )
        if let exposure = configuration.unauthenticatedExposure() {
            return StartupFailure.report(logger, exposure)
        }
        let unknown = ConfigurationLoader.unknownVariables(in: ProcessInfo.processInfo.environment)
        if !unknown.isEmpty {
            logger.warning(
                "ignoring unknown variables; see `lakemark options`",
                ["variables": .string(unknown.joined(separator: ","))]
            )
        }
        let keyConfigured = configuration.remoteMapping.apiKey != nil || configuration.remoteMapping.apiKeyFile != nil
            || configuration.apiKeySecretARN != nil
        if let warning = EngineFactory.thresholdWarning(configuration) { logger.warning(warning) }
        if keyConfigured && configuration.mapper == "embedded" {
            logger.warning(
                "a mapping API key is set but the mapper is embedded; set mapper (LAKEMARK_MAPPER) to remote"
            )
        }
        do {
            let environment = ProcessInfo.processInfo.environment
            var tls: TLSConnector?
            do {
                // Loaded at once where HTTPS is certain, so a bad CA file is reported at start; otherwise on the
                // first HTTPS connection, if any (a local sink and the embedded engine never make one).
                let loading: TLSConnector.Loading = Self.usesHTTPS(configuration) ? .now : .onFirstConnection
                tls = try TLSConnector(configuration: .fromEnvironment(environment), loading: loading)
            } catch {
                logger.warning("https is unavailable", ["error_code": .string("tls.\(error.code)")])
            }
            let service = try Service(
                configuration: configuration,
                logger: logger,
                tlsConnector: tls,
                sinkFactory: SinkFactory(
                    environment: environment,
                    tlsConnector: tls,
                    onCredentialRefreshFailure: { reason in
                        logger.warning(
                            "AWS credentials could not be fetched; cached ones, if still valid, are used, else "
                                + "writes fail with sink.credentialsUnavailable",
                            ["error_code": "credentials.refresh_failed", "reason": .string(reason)]
                        )
                    }
                )
            )
            try service.start()
            service.runUntilSignalled()
            return 0
        } catch let error as ConfigurationError {
            return StartupFailure.report(logger, error)
        } catch let error as HTTPServerError where error.code == .tlsConfigurationFailed {
            let reason = "tls_cert_file and tls_key_file: \(error.detail ?? error.code.rawValue)"
            return StartupFailure.report(
                logger,
                reason,
                code: "config.invalid_value",
                exitCode: StartupFailure.configurationExitCode
            )
        } catch let error as HTTPServerError where error.code == .bindFailed {
            let reason = error.errnoCode.map { String(cString: strerror($0)) } ?? error.code.rawValue
            let address = "\(configuration.listenHost):\(configuration.listenPort)"
            let message = "listen \(address): cannot bind: \(reason)"
            return StartupFailure.report(
                logger,
                message,
                code: "http.bindFailed",
                exitCode: StartupFailure.otherExitCode
            )
        } catch {
            return StartupFailure.report(
                logger,
                "\(error)",
                code: "start.failed",
                exitCode: StartupFailure.otherExitCode
            )
        }
    }

    /// Whether the configuration certainly makes HTTPS connections: an S3 sink, the remote engine, or an API key
    /// kept in Secrets Manager.
    static func usesHTTPS(_ configuration: Configuration) -> Bool {
        if case .s3 = configuration.sink { return true }
        return configuration.mapper != "embedded" || configuration.apiKeySecretARN != nil
    }
}
