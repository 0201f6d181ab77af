/// A parsed catalog file (`<catalog>.tsv` in the catalog directory).
///
/// Format (written by `scripts/build_catalogs.py`): UTF-8, one record per line, TAB-separated.
/// Header lines: `#lakemark-catalog<TAB>1`, `#catalog<TAB>name`, `#title<TAB>text`,
/// `#weights<TAB>title=w<TAB>body=w<TAB>detail=w<TAB>context=w`, `#bm25<TAB>k1=x<TAB>b=y`, optionally
/// `#scope<TAB>IDS=PHRASES…` (``ControlScopes``).
/// Records: `id<TAB>family<TAB>title<TAB>boost<TAB>body<TAB>detail<TAB>context`.
struct CatalogFile {
    /// One control.
    struct Record {
        /// Control id.
        let id: String
        /// Family shown with matches.
        let family: String
        /// Score multiplier (a documented prior, normally 1).
        let boost: Float
        /// Byte ranges of the indexed fields in ``CatalogFile/bytes``, in ``CatalogFile/fieldNames`` order.
        let fields: [Range<Int>]
    }

    /// Names of the indexed fields, in record order.
    static let fieldNames = ["title", "body", "detail", "context"]

    /// The file contents.
    let bytes: [UInt8]
    /// The catalog name (`nist_800_53_r5`, `tsc_2017`, ...).
    let name: String
    /// Weight of each indexed field (term frequencies are multiplied by it).
    let fieldWeights: [Float]
    /// BM25 term-frequency saturation.
    let k1: Float
    /// BM25 length normalisation.
    let b: Float
    /// The controls, in file order.
    let records: [Record]
    /// Fields of the optional `#scope` line (``ControlScopes``).
    let scopes: [String]

    /// Parses a catalog file.
    /// - Parameters:
    ///   - bytes: The file contents.
    ///   - name: The catalog name the file must declare.
    /// - Throws: ``MappingError/Code/catalogInvalid`` when the file is malformed.
    init(bytes: [UInt8], name: String) throws(MappingError) {
        var header: [String: [String]] = [:]
        var records: [Record] = []
        var failure: MappingError?
        var lineNumber = 0
        TabFile.forEachLine(bytes) { range in
            lineNumber += 1
            guard failure == nil, !range.isEmpty else {
                return
            }
            let ranges = TabFile.fieldRanges(bytes, range)
            if bytes[range.lowerBound] == UInt8(ascii: "#") {
                let fields = ranges.map { String(decoding: bytes[$0], as: UTF8.self) }
                header[String(fields[0].dropFirst())] = Array(fields.dropFirst())
                return
            }
            guard ranges.count == 7 else {
                failure = MappingError(
                    .catalogInvalid,
                    "\(name).tsv line \(lineNumber): expected 7 fields, got \(ranges.count)"
                )
                return
            }
            let text = { (i: Int) in String(decoding: bytes[ranges[i]], as: UTF8.self) }
            guard let boost = Float(text(3)), boost > 0 else {
                failure = MappingError(.catalogInvalid, "\(name).tsv line \(lineNumber): bad boost \"\(text(3))\"")
                return
            }
            records.append(
                Record(id: text(0), family: text(1), boost: boost, fields: [ranges[2]] + ranges[4...6])
            )
        }
        if let failure {
            throw failure
        }
        guard header["lakemark-catalog"] == ["1"] else {
            throw MappingError(.catalogInvalid, "\(name).tsv: missing or unsupported #lakemark-catalog header")
        }
        guard header["catalog"] == [name] else {
            throw MappingError(.catalogInvalid, "\(name).tsv: declares catalog \(header["catalog"] ?? [])")
        }
        let weights = try CatalogFile.settings(header["weights"], keys: CatalogFile.fieldNames, file: name)
        let bm25 = try CatalogFile.settings(header["bm25"], keys: ["k1", "b"], file: name)
        guard !records.isEmpty else {
            throw MappingError(.catalogInvalid, "\(name).tsv: no records")
        }
        self.bytes = bytes
        self.name = name
        self.fieldWeights = weights
        self.k1 = bm25[0]
        self.b = bm25[1]
        self.records = records
        self.scopes = header["scope"] ?? []
    }

    /// Values of a `key=value` header line, in `keys` order.
    private static func settings(_ fields: [String]?, keys: [String], file: String) throws(MappingError) -> [Float] {
        var values: [String: Float] = [:]
        for field in fields ?? [] {
            let parts = field.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Float(parts[1]), value >= 0 {
                values[String(parts[0])] = value
            }
        }
        var out: [Float] = []
        for key in keys {
            guard let value = values[key] else {
                throw MappingError(.catalogInvalid, "\(file).tsv: header lacks \(key)=")
            }
            out.append(value)
        }
        return out
    }
}
