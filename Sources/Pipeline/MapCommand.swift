import Foundation
import Mapping
import ServiceSupport

/// `lakemark map`: one `/v1/map` request on standard input, the response on standard output.
public enum MapCommand {
    /// Largest request read from standard input, in bytes.
    static let maxRequestBytes = 64 * 1_048_576

    /// Runs the command.
    /// - Returns: 0 when the request was answered, 1 when it was rejected (the error JSON is printed).
    public static func run() -> Int32 {
        let input = FileHandle.standardInput.readData(ofLength: maxRequestBytes + 1)
        guard input.count <= maxRequestBytes else {
            StandardStream.error.write("lakemark map: request larger than \(maxRequestBytes) bytes\n")
            return 1
        }
        do {
            let configuration = try ConfigurationLoader.load(
                path: nil,
                environment: ProcessInfo.processInfo.environment
            )
            let mapper = try EngineFactory.makeMapper(configuration)
            let (status, body) = MapAPI.handleMapRequest([UInt8](input), mapper: mapper)
            StandardStream.output.write(body + [0x0A])
            return status == 200 ? 0 : 1
        } catch {
            StandardStream.error.write("lakemark map: \(error)\n")
            return 1
        }
    }
}
