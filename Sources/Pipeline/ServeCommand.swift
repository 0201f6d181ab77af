import Foundation
import TLS
import ServiceSupport

/// `lakemark serve [--config FILE]`.
public enum ServeCommand {
    /// Runs the service until SIGTERM/SIGINT.
    /// - Parameter arguments: the arguments after `serve`.
    /// - Returns: the process exit code (0 after a clean shutdown, 2 for bad configuration, 1 otherwise).
    public static func run(arguments: [String]) -> Int32 {
        var configPath: String?
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--config" where index + 1 < arguments.count:
                configPath = arguments[index + 1]
                index += 2
            case "--help", "-h":
                print("usage: lakemark serve [--config FILE]\n\nOptions (file keys and environment variables):\n")
                print(ConfigurationReference.markdown())
                return 0
            default:
                FileHandle.standardError.write(Data("lakemark serve: unknown argument \(arguments[index])\n".utf8))
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
            FileHandle.standardError.write(Data("lakemark serve: \(error)\n".utf8))
            return 2
        }
        AllocatorTuning.apply()
        let logger = Logger(
            label: "lakemark",
            level: LogLevel(name: configuration.logLevel) ?? .info,
            redactor: Redactor(secrets: configuration.accessKeys + [configuration.remoteMapping.apiKey ?? ""])
        )
        let unknown = ConfigurationLoader.unknownVariables(in: ProcessInfo.processInfo.environment)
        if !unknown.isEmpty {
            logger.warning(
                "ignoring unknown variables; see `lakemark options`",
                ["variables": .string(unknown.joined(separator: ","))]
            )
        }
        do {
            let environment = ProcessInfo.processInfo.environment
            var tls: TLSConnector?
            do {
                tls = try TLSConnector(configuration: .fromEnvironment(environment))
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
                            "AWS credential refresh failed; using the cached credentials until they expire",
                            ["error_code": "credentials.refresh_failed", "reason": .string(reason)]
                        )
                    }
                )
            )
            try service.start()
            service.runUntilSignalled()
            return 0
        } catch {
            logger.critical("cannot start", ["error": .string("\(error)")])
            return 1
        }
    }
}
