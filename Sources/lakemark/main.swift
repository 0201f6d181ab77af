import Foundation
import Mapping

// Evaluation hook (mapping branch): `lakemark map` reads a /v1/map request on stdin and writes the
// response on stdout; `lakemark frameworks` prints the framework list. The lead owns this file.
switch CommandLine.arguments.dropFirst().first {
case "map":
    let body = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
    do {
        let mapper = try EmbeddedMapper(cacheCapacity: 0)
        let response = MapAPI.handleMapRequest(body, mapper: mapper)
        FileHandle.standardOutput.write(Data(response.body + [0x0A]))
        exit(response.status == 200 ? 0 : 1)
    } catch {
        FileHandle.standardError.write(Data("lakemark map: \(error)\n".utf8))
        exit(2)
    }
case "frameworks":
    FileHandle.standardOutput.write(Data(MapAPI.frameworksResponse() + [0x0A]))
default:
    print("lakemark")
}
