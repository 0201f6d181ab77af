/// The configuration reference as a Markdown table, generated from ``ConfigurationOption/all`` so that the
/// README and the code cannot disagree (a test compares them).
public enum ConfigurationReference {
    /// The table, one row per option.
    public static func markdown() -> String {
        var lines = [
            "| file key | environment | default | unit / allowed | meaning |",
            "|---|---|---|---|---|",
        ]
        for option in ConfigurationOption.all {
            let environment = option.environment.map { "`\($0)`" }.joined(separator: ", ")
            lines.append(
                "| `\(option.key)` | \(environment) | `\(option.defaultValue)` | \(option.unit) | \(option.summary) |"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
