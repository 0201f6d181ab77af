import Foundation
import Mapping
import ServiceSupport

/// `lakemark map [--model DIR]`: one `/v1/map` request on standard input, the response on standard output.
public enum MapCommand {
    /// Largest request read from standard input, in bytes.
    static let maxRequestBytes = 64 * 1_048_576

    /// The usage text.
    static let usage = """
        usage: lakemark map [--model DIR] < request.json

        Reads one POST /v1/map request body on stdin, e.g.
          {"frameworks":["nist_800_53_r5"],"topk":3,"documents":[{"id":"1","document":"Root login without MFA"}]}
        and prints the response. Without "frameworks" every framework of the engine is mapped (the API's default;
        `serve` maps SECBERUS_FRAMEWORKS, default pci_dss_v4,nist_800_53_r5).
          --model DIR   all-MiniLM-L6-v2 model directory: re-rank semantically (overrides LAKEMARK_MODEL_DIR)
        """

    /// Runs the command.
    /// - Parameter arguments: The arguments after `map`.
    /// - Returns: 0 when the request was answered, 1 when it was rejected (the error JSON is printed) or the
    ///   engine could not load, 2 for bad arguments or configuration (an unusable model directory).
    public static func run(arguments: [String] = []) -> Int32 {
        var environment = ProcessInfo.processInfo.environment
        switch arguments.first {
        case nil:
            break
        case "--model" where arguments.count == 2:
            environment["LAKEMARK_MODEL_DIR"] = arguments[1]
        case "--help", "-h":
            print(usage)
            return 0
        default:
            StandardStream.error.write("lakemark map: unknown or incomplete argument '\(arguments[0])'\n\n\(usage)\n")
            return 2
        }
        let input = FileHandle.standardInput.readData(ofLength: maxRequestBytes + 1)
        guard input.count <= maxRequestBytes else {
            StandardStream.error.write("lakemark map: request larger than \(maxRequestBytes) bytes\n")
            return 1
        }
        do {
            let configuration = try ConfigurationLoader.load(path: nil, environment: environment)
            let mapper = try EngineFactory.makeMapper(configuration)
            let (status, body) = MapAPI.handleMapRequest([UInt8](input), mapper: mapper)
            StandardStream.output.write(body + [0x0A])
            return status == 200 ? 0 : 1
        } catch let error as ConfigurationError {
            StandardStream.error.write("lakemark map: \(error)\n")
            return 2
        } catch {
            StandardStream.error.write("lakemark map: \(error)\n")
            return 1
        }
    }
}
