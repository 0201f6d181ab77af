/// Orders a text's ranked controls so that each further answer of an already answered family costs it a
/// penalty: the list reaches more families (800-53 base controls, CSF categories, PCI requirements at two
/// levels) instead of filling up with one family's siblings.
///
/// The scorer of `scripts/eval_reranker.py --diversify` replays this order held out (README, "Mapping
/// engine"): on the development sets it raises the per-control recall of families at ten answers without
/// moving a top answer, and the penalties of `priors.tsv` (`#diversity`, `#diversity_reranked`) are the ones
/// chosen there. ISO 27001 and TSC ids are their own family, so the order never changes for them.
struct FamilyDiversity: Sendable {
    /// Depth of the lexical ranking the penalty is applied to (the development sets' `lakemark map` answers at the
    /// API's largest `topk`, which the lexical penalty was chosen on).
    static let lexicalDepth = MappingOptions.topKRange.upperBound
    /// The lexical engine's penalty, in standard deviations of the scores of a text's ranked candidates
    /// (``spread(_:)``); 0 keeps the ranking.
    let lexicalPenalty: Double
    /// The re-ranker's penalty, in units of its scorer's value; 0 keeps its order.
    let rerankedPenalty: Double
    /// Family number of each control, by control index in the catalogue.
    private let familyOfControl: [Int32]

    /// Numbers the families of a catalogue's controls.
    /// - Parameters:
    ///   - ids: The catalogue's control ids, in index order.
    ///   - catalog: The catalogue name.
    ///   - lexicalPenalty: The lexical engine's penalty (``lexicalPenalty``).
    ///   - rerankedPenalty: The re-ranker's penalty (``rerankedPenalty``).
    init(ids: [String], catalog: String, lexicalPenalty: Double = 0, rerankedPenalty: Double = 0) {
        self.lexicalPenalty = lexicalPenalty
        self.rerankedPenalty = rerankedPenalty
        var numbers: [String: Int32] = [:]
        familyOfControl = ids.map { id in
            let family = FamilyDiversity.family(of: id, catalog: catalog)
            if let number = numbers[family] {
                return number
            }
            let number = Int32(numbers.count)
            numbers[family] = number
            return number
        }
    }

    /// The family of a control as the development sets collapse it: the 800-53 base control, the CSF category,
    /// the PCI requirement's first two levels; ISO and TSC ids are their own family.
    static func family(of id: String, catalog: String) -> String {
        switch catalog {
        case "nist_800_53_r5":
            return String(id.split(separator: "(", maxSplits: 1, omittingEmptySubsequences: false)[0])
        case "nist_csf_v2":
            return String(id.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)[0])
        case "pci_dss_v4":
            return id.split(separator: ".", omittingEmptySubsequences: false).prefix(2).joined(separator: ".")
        default:
            return id
        }
    }

    /// The first `count` answers in diverse order: each next one is the candidate with the highest score minus
    /// `penalty` times the number of answers of its family already placed (ties to the better ranked). The top
    /// candidate always stays first.
    /// - Parameters:
    ///   - controls: Control indexes of the candidates, best ranked first.
    ///   - scores: The candidates' scores, parallel to `controls` (descending).
    ///   - penalty: The cost of each sibling already placed, in score units; 0 keeps the ranking.
    ///   - count: How many answers to place.
    /// - Returns: Positions into `controls`, at most `count` of them.
    func order(controls: [Int], scores: [Double], penalty: Double, count: Int) -> [Int] {
        let wanted = min(count, controls.count)
        guard penalty > 0 else {
            return Array(0..<wanted)
        }
        let families = controls.map { familyOfControl[$0] }
        var taken = [Bool](repeating: false, count: controls.count)
        var placed: [Int] = []
        var placedFamilies: [Int32] = []
        placed.reserveCapacity(wanted)
        while placed.count < wanted {
            var best = taken.firstIndex(of: false) ?? 0
            var bestValue = -Double.infinity
            for position in controls.indices where !taken[position] {
                var siblings = 0
                for family in placedFamilies where family == families[position] {
                    siblings += 1
                }
                let value = scores[position] - penalty * Double(siblings)
                if value > bestValue {
                    bestValue = value
                    best = position
                }
            }
            taken[best] = true
            placed.append(best)
            placedFamilies.append(families[best])
        }
        return placed
    }

    /// The spread of a text's candidate scores (population standard deviation), the unit of the lexical
    /// engine's penalty; 0 for fewer than two candidates.
    static func spread(_ scores: [Double]) -> Double {
        guard scores.count > 1 else {
            return 0
        }
        let mean = scores.reduce(0, +) / Double(scores.count)
        let variance = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(scores.count)
        return variance.squareRoot()
    }
}
