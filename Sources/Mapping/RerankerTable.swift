/// The TSV half of a catalogue's re-ranker artifacts (`reranker/<catalog>.tsv`, see ``SemanticReranker``).
///
/// Header lines: `#lakemark-reranker<TAB>1`, `#dimension<TAB>d`, `#top_n<TAB>n`, `#lexical_depth<TAB>n`,
/// `#raw_scale<TAB>x`,
/// `#features<TAB>name…` (must be ``SemanticReranker/featureNames``), `#mean`, `#std` and `#weight` with one
/// number per feature, `#bias<TAB>b`, `#confidence<TAB>medium<TAB>high` (top-1 probabilities, `-` for none) and
/// optionally `#confidence_moved<TAB>medium<TAB>high` (the same for a top answer the scorer moved above the engine's
/// top answer; without it, `#confidence` applies to those too), `#familiarity<TAB>cosine` (the cosine of the text to
/// its top answer's prototype from which that answer may be High) and optionally `#unfamiliar<TAB>engine` (an
/// unfamiliar text keeps the lexical engine's answers; `capped`, the default, re-orders it with its top answer at
/// most Medium).
/// Records: `frequency<TAB>family<TAB>share`, then `control<TAB>id` and `family<TAB>id` naming the prototype
/// vectors of the `.f32` file in order (controls first). Other `#` lines are comments.
struct RerankerTable {
    /// Embedding size.
    let dimension: Int
    /// Candidates re-ordered.
    let topN: Int
    /// Lexical ranks whose similarity the fit saw.
    let lexicalDepth: Int
    /// Fused score per unit of reported similarity in the fit.
    let rawScale: Double
    /// Feature means.
    let mean: [Double]
    /// Feature standard deviations (all positive).
    let std: [Double]
    /// Weights of the standardised features.
    let weights: [Double]
    /// Bias of the scorer.
    let bias: Double
    /// Medium threshold on the top-1 probability.
    let medium: Double?
    /// High threshold on the top-1 probability.
    let high: Double?
    /// Medium threshold on the top-1 probability of a moved top answer.
    let movedMedium: Double?
    /// High threshold on the top-1 probability of a moved top answer.
    let movedHigh: Double?
    /// Cosine of the text to the top answer's prototype below which that answer is not High.
    let familiarity: Double
    /// Whether a text below ``familiarity`` keeps the lexical engine's answers.
    let unfamiliarKeepsEngine: Bool
    /// Share of training texts per family.
    let frequencies: [String: Double]
    /// Control ids of the control prototypes, in vector order.
    let controls: [String]
    /// Family ids of the family prototypes, in vector order (after the controls).
    let families: [String]

    /// Parses the file.
    /// - Parameters:
    ///   - bytes: The contents.
    ///   - path: The file's path, for messages.
    /// - Throws: ``MappingError/Code/catalogInvalid`` when a header is missing or malformed.
    init(bytes: [UInt8], path: String) throws(MappingError) {
        var headers: [String: [String]] = [:]
        TabFile.forEachLine(bytes) { range in
            guard !range.isEmpty, bytes[range.lowerBound] == UInt8(ascii: "#") else {
                return
            }
            let fields = TabFile.fieldRanges(bytes, range).map { String(decoding: bytes[$0], as: UTF8.self) }
            headers[fields[0]] = Array(fields.dropFirst())
        }
        func numbers(_ name: String, count: Int) throws(MappingError) -> [Double] {
            let values = (headers[name] ?? []).compactMap(Double.init)
            guard values.count == count, values.allSatisfy(\.isFinite) else {
                throw MappingError(.catalogInvalid, "\(path): \(name) needs \(count) numbers")
            }
            return values
        }
        let features = SemanticReranker.featureNames
        guard headers["#lakemark-reranker"] == ["1"] else {
            throw MappingError(.catalogInvalid, "\(path): missing or unsupported #lakemark-reranker")
        }
        guard headers["#features"] == features else {
            throw MappingError(.catalogInvalid, "\(path): #features must be \(features.joined(separator: ","))")
        }
        let sizes = try numbers("#dimension", count: 1) + numbers("#top_n", count: 1)
            + numbers("#lexical_depth", count: 1)
        guard sizes[0] >= 1, sizes[0] <= 4096, sizes[1] >= 1, sizes[1] <= 1000, sizes[2] >= 1, sizes[2] <= 10_000
        else {
            throw MappingError(.catalogInvalid, "\(path): #dimension, #top_n or #lexical_depth out of range")
        }
        dimension = Int(sizes[0])
        topN = Int(sizes[1])
        lexicalDepth = Int(sizes[2])
        rawScale = try numbers("#raw_scale", count: 1)[0]
        mean = try numbers("#mean", count: features.count)
        std = try numbers("#std", count: features.count)
        weights = try numbers("#weight", count: features.count)
        bias = try numbers("#bias", count: 1)[0]
        guard rawScale > 0, std.allSatisfy({ $0 > 0 }) else {
            throw MappingError(.catalogInvalid, "\(path): #raw_scale and #std must be positive")
        }
        let confidence = headers["#confidence"] ?? []
        let moved = headers["#confidence_moved"] ?? confidence
        for (name, pair) in [("#confidence", confidence), ("#confidence_moved", moved)] {
            guard pair.count == 2, pair.allSatisfy({ $0 == "-" || Double($0) != nil }) else {
                throw MappingError(.catalogInvalid, "\(path): \(name) needs two probabilities or -")
            }
        }
        medium = Double(confidence[0])
        high = Double(confidence[1])
        movedMedium = Double(moved[0])
        movedHigh = Double(moved[1])
        familiarity = try numbers("#familiarity", count: 1)[0]
        switch headers["#unfamiliar"] {
        case nil, ["capped"]: unfamiliarKeepsEngine = false
        case ["engine"]: unfamiliarKeepsEngine = true
        default: throw MappingError(.catalogInvalid, "\(path): #unfamiliar must be engine or capped")
        }
        var frequencies: [String: Double] = [:]
        var controls: [String] = []
        var families: [String] = []
        for line in TabFile.lines(bytes) {
            switch (line.fields[0], line.fields.count) {
            case ("frequency", 3) where Double(line.fields[2]) != nil:
                frequencies[line.fields[1]] = Double(line.fields[2])
            case ("control", 2):
                controls.append(line.fields[1])
            case ("family", 2):
                families.append(line.fields[1])
            default:
                throw MappingError(.catalogInvalid, "\(path) line \(line.number): unknown or malformed record")
            }
        }
        self.frequencies = frequencies
        self.controls = controls
        self.families = families
    }
}
