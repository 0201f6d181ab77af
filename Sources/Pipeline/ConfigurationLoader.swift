import Foundation
import JSONBytes

/// Builds a ``Configuration``: defaults, then the JSON file, then environment variables.
///
/// In the file and in the environment alike, `min_similarity` and `min_confidence` exclude each other; a later
/// layer that sets one replaces the threshold of an earlier layer.
public enum ConfigurationLoader {
    /// Largest configuration file read, in bytes.
    static let maxFileBytes = 1_048_576

    /// Loads the configuration.
    /// - Parameters:
    ///   - path: the JSON file (`--config`), else `LAKEMARK_CONFIG`, else none.
    ///   - environment: the process environment.
    /// - Returns: the configuration.
    /// - Throws: ``ConfigurationError`` naming the option and what is allowed.
    public static func load(path: String?, environment: [String: String]) throws(ConfigurationError) -> Configuration {
        var configuration = Configuration()
        if let file = path ?? environment["LAKEMARK_CONFIG"], !file.isEmpty {
            try applyFile(file, to: &configuration)
        }
        try applyEnvironment(environment, to: &configuration)
        if let file = configuration.accessKeysFile {
            guard configuration.accessKeys.isEmpty else {
                throw ConfigurationError(.conflict, key: "access_keys and access_keys_file", "set one or the other")
            }
            configuration.accessKeys = try ConfigurationOption.accessKeys(file: file)
        }
        if (configuration.tlsCertFile == nil) != (configuration.tlsKeyFile == nil) {
            throw ConfigurationError(.conflict, key: "tls_cert_file and tls_key_file", "set both or neither")
        }
        return configuration
    }

    /// Variables that look like Lakemark's (`LAKEMARK_*`, `SECBERUS_*`) but set no option: usually typos.
    /// - Parameter environment: the process environment.
    /// - Returns: their names, sorted.
    public static func unknownVariables(in environment: [String: String]) -> [String] {
        let known = Set(ConfigurationOption.all.flatMap(\.environment)).union(otherKnownVariables)
        return environment.keys.filter {
            ($0.hasPrefix("LAKEMARK_") || $0.hasPrefix("SECBERUS_")) && !known.contains($0)
        }.sorted()
    }

    /// Variables read elsewhere (the config path, `lakemark send`, tests and the mapping engine).
    static let otherKnownVariables: Set<String> = [
        "LAKEMARK_CONFIG", "LAKEMARK_SEND_ACCESS_KEY", "LAKEMARK_SHARED",
    ]

    /// Applies the options of a JSON file; unknown keys are errors, `_`-prefixed keys are comments.
    static func applyFile(_ path: String, to configuration: inout Configuration) throws(ConfigurationError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(.unreadableFile, key: path, "cannot read the configuration file")
        }
        guard data.count <= maxFileBytes else {
            throw ConfigurationError(.unreadableFile, key: path, "larger than \(maxFileBytes) bytes")
        }
        let tape: JSONTape
        do {
            tape = try JSONTape(parsing: [UInt8](data))
        } catch {
            throw ConfigurationError(.unreadableFile, key: path, "\(error)")
        }
        guard tape.kind(tape.rootIndex) == .object else {
            throw ConfigurationError(.unreadableFile, key: path, "expected a JSON object of options")
        }
        var values: [(String, ConfigurationOption.Value)] = []
        for (keyNode, valueNode) in tape.members(tape.rootIndex) {
            let key = tape.string(keyNode) ?? ""
            if key.hasPrefix("_") { continue }  // `_comment` and friends
            guard let value = fileValue(tape, valueNode) else {
                throw ConfigurationError(
                    .invalidValue,
                    key: key,
                    "expected a string, number, Boolean or array of strings",
                    origin: path
                )
            }
            values.append((key, value))
        }
        try apply(values, to: &configuration, origin: { _ in path })
    }

    /// Applies every option whose environment variable is set. An option with several variables reads only the
    /// last one listed that is set (`AWS_REGION` over `AWS_DEFAULT_REGION`, `LAKEMARK_S3_MAX_ATTEMPTS` over
    /// `AWS_MAX_ATTEMPTS`, `https_proxy` over `HTTPS_PROXY`); the others are ignored.
    static func applyEnvironment(
        _ environment: [String: String],
        to configuration: inout Configuration
    )
        throws(ConfigurationError)
    {
        var values: [(String, ConfigurationOption.Value)] = []
        var origins: [String: String] = [:]
        for option in ConfigurationOption.all {
            guard let name = option.environment.last(where: { environment[$0] != nil }),
                let value = environment[name]
            else { continue }
            values.append((option.key, .string(value)))
            origins[option.key] = name
        }
        try apply(values, to: &configuration, origin: { origins[$0] ?? $0 })
    }

    private static func apply(
        _ values: [(String, ConfigurationOption.Value)],
        to configuration: inout Configuration,
        origin: (String) -> String
    ) throws(ConfigurationError) {
        let keys = Set(values.map(\.0))
        if keys.contains("min_similarity") && keys.contains("min_confidence") {
            throw ConfigurationError(
                .conflict,
                key: "min_similarity and min_confidence",
                "set one of them, not both",
                origin: "\(origin("min_similarity")) and \(origin("min_confidence"))"
            )
        }
        for (key, value) in values {
            guard let option = ConfigurationOption.all.first(where: { $0.key == key }) else {
                let known = ConfigurationOption.all.map(\.key).joined(separator: ", ")
                throw ConfigurationError(.unknownKey, key: key, "unknown option; known: \(known)", origin: origin(key))
            }
            configuration.origins[key] = origin(key)
            do {
                try option.apply(&configuration, value)
            } catch var error as ConfigurationError {
                error.origin = origin(key)
                throw error
            } catch {
                throw ConfigurationError(.invalidValue, key: key, "\(error)", origin: origin(key))
            }
        }
    }

    private static func fileValue(_ tape: JSONTape, _ node: Int) -> ConfigurationOption.Value? {
        switch tape.kind(node) {
        case .string: return tape.string(node).map { .string($0) }
        case .number: return .number(String(decoding: tape.rawBytes(node), as: UTF8.self))
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .array:
            var items: [String] = []
            for element in tape.children(node) {
                guard let item = tape.string(element) else { return nil }
                items.append(item)
            }
            return .list(items)
        default: return nil
        }
    }
}
