/// Crosswalk projection: a strong NIST SP 800-53 match raises the controls of other catalogues that
/// are crosswalked to it (`crosswalk.tsv`).
///
/// Format (written by `scripts/build_catalogs.py`): header lines `#lakemark-crosswalk<TAB>1` and
/// `#weight<TAB>catalog=w<TAB>...`, then records `catalog<TAB>id<TAB>800-53 ids` (space-separated).
/// For a text, each control of a catalogue gains `weight` times the best similarity among the ten
/// best 800-53 answers it is crosswalked to (an 800-53 enhancement also counts for its base
/// control's pairs). The file is optional: without it nothing is projected.
struct CrosswalkProjection: Sendable {
    /// Name of the crosswalk file in the catalog directory.
    static let fileName = "crosswalk.tsv"
    /// How many of the best 800-53 answers are projected.
    static let sourceCount = 10

    /// Weight per catalogue name.
    let weights: [String: Float]
    /// Per catalogue name and control id, the crosswalked 800-53 ids.
    let pairs: [String: [String: [String]]]

    /// No crosswalk.
    init() {
        weights = [:]
        pairs = [:]
    }

    /// Parses a crosswalk file.
    /// - Parameter bytes: The file contents.
    /// - Throws: ``MappingError/Code/catalogInvalid`` when the file is malformed.
    init(bytes: [UInt8]) throws(MappingError) {
        var weights: [String: Float] = [:]
        var version: String?
        TabFile.forEachLine(bytes) { range in
            guard !range.isEmpty, bytes[range.lowerBound] == UInt8(ascii: "#") else {
                return
            }
            let fields = TabFile.fieldRanges(bytes, range).map { String(decoding: bytes[$0], as: UTF8.self) }
            if fields[0] == "#lakemark-crosswalk" {
                version = fields.count > 1 ? fields[1] : ""
            } else if fields[0] == "#weight" {
                for setting in fields.dropFirst() {
                    let parts = setting.split(separator: "=", maxSplits: 1)
                    if parts.count == 2, let value = Float(parts[1]), value >= 0, value <= 1 {
                        weights[String(parts[0])] = value
                    }
                }
            }
        }
        guard version == "1" else {
            throw MappingError(
                .catalogInvalid,
                "\(CrosswalkProjection.fileName): missing or unsupported #lakemark-crosswalk"
            )
        }
        var pairs: [String: [String: [String]]] = [:]
        for line in TabFile.lines(bytes) {
            guard line.fields.count == 3 else {
                throw MappingError(
                    .catalogInvalid,
                    "\(CrosswalkProjection.fileName) line \(line.number): expected catalog, id and 800-53 ids"
                )
            }
            let nist = line.fields[2].split(separator: " ").map(String.init)
            pairs[line.fields[0], default: [:]][line.fields[1]] = nist
        }
        self.weights = weights
        self.pairs = pairs
    }

    /// The projection table of one catalogue against the 800-53 index.
    /// - Parameters:
    ///   - catalog: The catalogue name.
    ///   - ids: The catalogue's control ids, in index order.
    ///   - nistIDs: The 800-53 control ids, in index order.
    /// - Returns: The table, or nil when the catalogue has no pairs or no weight.
    func table(catalog: String, ids: [String], nistIDs: [String]) -> ProjectionTable? {
        guard let weight = weights[catalog], weight > 0, let table = pairs[catalog] else {
            return nil
        }
        var nistPosition: [String: Int] = [:]
        for (i, id) in nistIDs.enumerated() {
            nistPosition[id] = i
        }
        var targets = [[Int32]](repeating: [], count: nistIDs.count)
        for (i, id) in ids.enumerated() {
            for nist in table[id] ?? [] {
                if let source = nistPosition[nist] {
                    targets[source].append(Int32(i))
                }
            }
        }
        let base = ProjectionTable.bases(of: nistIDs, nistPosition)
        return ProjectionTable(weight: weight, targets: targets, base: base)
    }
}

/// The crosswalk of one catalogue, indexed by 800-53 control.
struct ProjectionTable: Sendable {
    /// Weight of the projection.
    let weight: Float
    /// Per 800-53 index, the indexes of this catalogue's controls crosswalked to it.
    let targets: [[Int32]]
    /// Per 800-53 index, the index of its base control (`AC-2` for `AC-2(1)`), or -1.
    let base: [Int32]

    /// The additive boost of every control of the catalogue for a text's best 800-53 answers.
    /// - Parameters:
    ///   - sources: The best 800-53 candidates of the ranking (index and fused similarity; `lexical` is unused).
    ///   - count: Number of controls of this catalogue.
    /// - Returns: One boost per control (zero for most).
    func boosts(from sources: ArraySlice<(index: Int, score: Float, lexical: Float)>, count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        for source in sources {
            let value = weight * min(source.score, 1)
            var node = source.index
            while node >= 0 {
                for target in targets[node] {
                    out[Int(target)] = max(out[Int(target)], value)
                }
                node = Int(base[node])
            }
        }
        return out
    }

    /// The base control of each 800-53 id (`AC-2(1)` -> `AC-2`).
    /// - Parameters:
    ///   - ids: The 800-53 ids, in index order.
    ///   - position: The index of each id.
    /// - Returns: The index of each id's base control, or -1 for base controls and unknown bases.
    static func bases(of ids: [String], _ position: [String: Int]) -> [Int32] {
        ids.map { id in
            guard id.hasSuffix(")"), let open = id.firstIndex(of: "("),
                let parent = position[String(id[..<open])]
            else {
                return -1
            }
            return Int32(parent)
        }
    }
}
