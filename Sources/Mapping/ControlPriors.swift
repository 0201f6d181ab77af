/// How often public check-to-control mappings name each control, per catalogue (`priors.tsv`).
///
/// Format (written by `scripts/build_priors.py`): header lines `#lakemark-priors<TAB>1` and
/// `#alpha<TAB>catalog=a<TAB>...`, optionally `#calibration<TAB>catalog=low,medium,high,top<TAB>...`,
/// optionally `#margin<TAB>catalog=m<TAB>...`, `#diversity<TAB>catalog=p<TAB>...` and
/// `#diversity_reranked<TAB>catalog=p<TAB>...` (family penalties, ``FamilyDiversity``), then records
/// `catalog<TAB>id<TAB>weight` with weights in 0...1. A setting of `#alpha` (0...1), `#margin` (0...20) or the
/// penalties (0...100) that is not `catalog=number` in range makes the file invalid; calibration knots that are
/// not four increasing numbers are ignored.
/// The engine adds `alpha * weight` to a control's lexical similarity; the calibration knots are the
/// scores reported as similarity 0.30, 0.50, 0.70 and 1.0 (see ``SimilarityCalibration``): the fused score,
/// and for the top answer the fused score plus `m` times its lead over the runner-up (a clear winner is more
/// often right than a near-tie, so the lead is evidence for the top answer's confidence). The
/// file is optional: without it every prior is zero, the ranking is purely lexical and the lexical
/// similarity is reported as it is.
struct ControlPriors: Sendable {
    /// Name of the priors file in the catalog directory.
    static let fileName = "priors.tsv"

    /// Alpha per catalogue name.
    let alphas: [String: Float]
    /// Weight per catalogue name and control id.
    let weights: [String: [String: Float]]
    /// Calibration knots per catalogue name: the fused scores of similarity 0.30, 0.50, 0.70 and 1.0.
    let calibrations: [String: [Float]]
    /// Weight of the top answer's lead over the runner-up, per catalogue name (0...20).
    let marginWeights: [String: Float]
    /// The lexical engine's family penalty per catalogue name (0...10), in standard deviations of the scores of
    /// a text's ranked candidates (see ``FamilyDiversity``); 0 or absent keeps the ranking.
    let diversityPenalties: [String: Float]
    /// The re-ranker's family penalty per catalogue name (0...10), in units of the scorer's value.
    let rerankedDiversityPenalties: [String: Float]

    /// No priors.
    init() {
        alphas = [:]
        weights = [:]
        calibrations = [:]
        marginWeights = [:]
        diversityPenalties = [:]
        rerankedDiversityPenalties = [:]
    }

    /// Parses a priors file.
    /// - Parameter bytes: The file contents.
    /// - Throws: ``MappingError/Code/catalogInvalid`` when the file is malformed.
    init(bytes: [UInt8]) throws(MappingError) {
        var alphas: [String: Float] = [:]
        var calibrations: [String: [Float]] = [:]
        var margins: [String: Float] = [:]
        var diversities: [String: Float] = [:]
        var rerankedDiversities: [String: Float] = [:]
        var version: String?
        var problem: String?
        TabFile.forEachLine(bytes) { range in
            guard !range.isEmpty, bytes[range.lowerBound] == UInt8(ascii: "#") else {
                return
            }
            let fields = TabFile.fieldRanges(bytes, range).map { String(decoding: bytes[$0], as: UTF8.self) }
            switch fields[0] {
            case "#lakemark-priors":
                version = fields.count > 1 ? fields[1] : ""
            case "#alpha":
                problem = problem ?? ControlPriors.readSettings(fields, in: 0...1, into: &alphas)
            case "#margin":
                problem = problem ?? ControlPriors.readSettings(fields, in: 0...20, into: &margins)
            case "#diversity":
                problem = problem ?? ControlPriors.readSettings(fields, in: 0...100, into: &diversities)
            case "#diversity_reranked":
                problem = problem ?? ControlPriors.readSettings(fields, in: 0...100, into: &rerankedDiversities)
            case "#calibration":
                for setting in fields.dropFirst() {
                    let parts = setting.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else {
                        continue
                    }
                    let knots = parts[1].split(separator: ",").compactMap { Float($0) }
                    if knots.count == 4, knots[0] > 0, zip(knots, knots.dropFirst()).allSatisfy({ $0 < $1 }) {
                        calibrations[String(parts[0])] = knots
                    }
                }
            default:
                break
            }
        }
        if let problem {
            throw MappingError(.catalogInvalid, "\(ControlPriors.fileName): \(problem)")
        }
        guard version == "1" else {
            throw MappingError(.catalogInvalid, "\(ControlPriors.fileName): missing or unsupported #lakemark-priors")
        }
        var weights: [String: [String: Float]] = [:]
        for line in TabFile.lines(bytes) {
            guard line.fields.count == 3, let weight = Float(line.fields[2]), weight >= 0, weight <= 1 else {
                throw MappingError(
                    .catalogInvalid,
                    "\(ControlPriors.fileName) line \(line.number): expected catalog, id and a weight in 0...1"
                )
            }
            weights[line.fields[0], default: [:]][line.fields[1]] = weight
        }
        self.alphas = alphas
        self.weights = weights
        self.calibrations = calibrations
        self.marginWeights = margins
        self.diversityPenalties = diversities
        self.rerankedDiversityPenalties = rerankedDiversities
    }

    /// Reads the `catalog=value` settings of a header line.
    /// - Parameters:
    ///   - fields: The line's fields: the header, then the settings (empty fields are skipped).
    ///   - range: The values allowed.
    ///   - values: Where the values go, by catalogue name.
    /// - Returns: What is wrong with the first setting that is not a catalogue name, `=` and a number in `range`,
    ///   or nil.
    private static func readSettings(
        _ fields: [String],
        in range: ClosedRange<Float>,
        into values: inout [String: Float]
    ) -> String? {
        for setting in fields.dropFirst() where !setting.isEmpty {
            let parts = setting.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, let value = Float(parts[1]), range.contains(value) else {
                return "\(fields[0]) setting \"\(setting)\" is not catalog=value with a value in "
                    + "\(range.lowerBound)...\(range.upperBound)"
            }
            values[String(parts[0])] = value
        }
        return nil
    }

    /// The prior of every control of a catalogue, already multiplied by the catalogue's alpha.
    /// - Parameters:
    ///   - catalog: The catalogue name.
    ///   - ids: The catalogue's control ids, in index order.
    /// - Returns: Indexes and scaled priors of the controls with a non-zero prior, in index order.
    func scaled(catalog: String, ids: [String]) -> [(index: Int32, value: Float)] {
        guard let alpha = alphas[catalog], alpha > 0, let table = weights[catalog] else {
            return []
        }
        var out: [(index: Int32, value: Float)] = []
        for (i, id) in ids.enumerated() {
            if let weight = table[id], weight > 0 {
                out.append((Int32(i), alpha * weight))
            }
        }
        return out
    }
}
