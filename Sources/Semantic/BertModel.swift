import COpenBLAS
import Glibc

/// The all-MiniLM-L6-v2 network: BERT embeddings, 6 encoder layers, mean pooling, L2 normalisation.
///
/// Texts of a batch are packed one after another (no padding rows): every dense layer runs once over all
/// tokens of the batch, and attention runs per text over its own tokens only, which is what padding to the
/// longest text with an attention mask computes, without the wasted rows.
struct BertModel: Sendable {
    /// Hidden size.
    static let hidden = 384
    /// Attention heads.
    static let heads = 12
    /// Size of one head.
    static let headSize = 32
    /// Feed-forward size.
    static let intermediate = 1536
    /// Encoder layers.
    static let layerCount = 6
    /// Positions the model has embeddings for.
    static let maxPositions = 512
    /// Layer-norm epsilon of the checkpoint.
    static let layerNormEpsilon: Float = 1e-12

    /// One encoder layer.
    struct Layer: Sendable {
        /// Query projection 384 → 384, written to columns 0..<384 of a 1152-wide row.
        let query: DenseLayer
        /// Key projection, written to columns 384..<768.
        let key: DenseLayer
        /// Value projection, written to columns 768..<1152.
        let value: DenseLayer
        /// Attention output projection 384 → 384.
        let attentionOutput: DenseLayer
        /// Layer norm after attention (weight, bias).
        let attentionNorm: (weight: [Float], bias: [Float])
        /// Feed-forward up-projection 384 → 1536.
        let up: DenseLayer
        /// Feed-forward down-projection 1536 → 384.
        let down: DenseLayer
        /// Layer norm after the feed-forward block.
        let outputNorm: (weight: [Float], bias: [Float])
    }

    private let file: SafeTensorsFile
    private let wordEmbeddings: SafeTensorsFile.Entry
    /// Position embeddings, `maxPositions × hidden`, left in the mapping until a text is embedded.
    private let positionEmbeddings: SafeTensorsFile.Entry
    /// The token-type-0 embedding, added to every position's.
    private let typeEmbedding: [Float]
    private let embeddingNorm: (weight: [Float], bias: [Float])
    private let layers: [Layer]
    /// Rows of the word-embedding table.
    let vocabularySize: Int

    /// Finds the weights of a BERT checkpoint of this shape (dense weights stay mapped, the small tensors
    /// are copied); the dense layers load OpenBLAS (see ``OpenBLAS``).
    /// - Parameters:
    ///   - file: The mapped `model.safetensors`.
    ///   - vocabularySize: Rows of the word-embedding table (the tokenizer's vocabulary size).
    /// - Throws: `SemanticError.modelInvalid` when a tensor is missing or misshapen.
    init(file: SafeTensorsFile, vocabularySize: Int) throws(SemanticError) {
        let h = Self.hidden
        self.file = file
        self.vocabularySize = vocabularySize
        wordEmbeddings = try file.entry("embeddings.word_embeddings.weight", shape: [vocabularySize, h])
        positionEmbeddings = try file.entry("embeddings.position_embeddings.weight", shape: [Self.maxPositions, h])
        typeEmbedding = Array(try file.array("embeddings.token_type_embeddings.weight", shape: [2, h])[0..<h])
        embeddingNorm = try Self.norm(file, "embeddings.LayerNorm")
        var layers: [Layer] = []
        for index in 0..<Self.layerCount {
            let prefix = "encoder.layer.\(index)."
            layers.append(
                Layer(
                    query: try DenseLayer(file: file, prefix: prefix + "attention.self.query", inputs: h, outputs: h),
                    key: try DenseLayer(file: file, prefix: prefix + "attention.self.key", inputs: h, outputs: h),
                    value: try DenseLayer(file: file, prefix: prefix + "attention.self.value", inputs: h, outputs: h),
                    attentionOutput: try DenseLayer(
                        file: file,
                        prefix: prefix + "attention.output.dense",
                        inputs: h,
                        outputs: h
                    ),
                    attentionNorm: try Self.norm(file, prefix + "attention.output.LayerNorm"),
                    up: try DenseLayer(
                        file: file,
                        prefix: prefix + "intermediate.dense",
                        inputs: h,
                        outputs: Self.intermediate
                    ),
                    down: try DenseLayer(
                        file: file,
                        prefix: prefix + "output.dense",
                        inputs: Self.intermediate,
                        outputs: h
                    ),
                    outputNorm: try Self.norm(file, prefix + "output.LayerNorm")
                )
            )
        }
        self.layers = layers
    }

    private static func norm(
        _ file: SafeTensorsFile,
        _ prefix: String
    ) throws(SemanticError) -> (weight: [Float], bias: [Float]) {
        (try file.array(prefix + ".weight", shape: [hidden]), try file.array(prefix + ".bias", shape: [hidden]))
    }

    /// Sentence embeddings of tokenised texts.
    /// - Parameter sequences: Token ids per text, each with `[CLS]`/`[SEP]`, at most ``maxPositions`` long,
    ///   every id below ``vocabularySize``.
    /// - Returns: One L2-normalised vector of ``hidden`` floats per sequence.
    func embed(_ sequences: [[Int32]]) -> [[Float]] {
        guard !sequences.isEmpty else { return [] }
        let h = Self.hidden
        let total = sequences.reduce(0) { $0 + $1.count }
        var states = [Float](repeating: 0, count: total * h)
        var scratch = [Float](repeating: 0, count: total * h)
        var wide = [Float](repeating: 0, count: total * Self.intermediate)
        var starts: [Int] = []
        var row = 0
        for sequence in sequences {
            starts.append(row)
            row += sequence.count
        }
        states.withUnsafeMutableBufferPointer { x in
            scratch.withUnsafeMutableBufferPointer { tmp in
                wide.withUnsafeMutableBufferPointer { big in
                    embedTokens(sequences, into: x.baseAddress!)
                    for layer in layers {
                        runLayer(layer, x.baseAddress!, tmp.baseAddress!, big.baseAddress!, sequences, starts)
                    }
                }
            }
        }
        return sequences.indices.map { index in
            Self.pool(states, from: starts[index], count: sequences[index].count)
        }
    }

    private func embedTokens(_ sequences: [[Int32]], into x: UnsafeMutablePointer<Float>) {
        let h = Self.hidden
        var row = 0
        let table = file.bytes(of: wordEmbeddings)
        let positions = file.bytes(of: positionEmbeddings)
        typeEmbedding.withUnsafeBufferPointer { type in
            for sequence in sequences {
                for (position, token) in sequence.enumerated() {
                    let destination = x + row * h
                    let wordOffset = Int(token) * h * 4
                    let positionOffset = position * h * 4
                    for column in 0..<h {
                        let word = Self.float(in: table, at: wordOffset + column * 4)
                        let positional = Self.float(in: positions, at: positionOffset + column * 4) + type[column]
                        destination[column] = word + positional
                    }
                    Self.layerNorm(destination, embeddingNorm)
                    row += 1
                }
            }
        }
    }

    /// The little-endian `Float` at `offset` in mapped tensor bytes.
    private static func float(in bytes: UnsafeRawBufferPointer, at offset: Int) -> Float {
        Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }

    private func runLayer(
        _ layer: Layer,
        _ x: UnsafeMutablePointer<Float>,
        _ tmp: UnsafeMutablePointer<Float>,
        _ big: UnsafeMutablePointer<Float>,
        _ sequences: [[Int32]],
        _ starts: [Int]
    ) {
        let h = Self.hidden
        let rows = starts.last.map { $0 + sequences[sequences.count - 1].count } ?? 0
        // Q|K|V side by side in the wide buffer (1152 of its 1536 columns per row), attention context into tmp.
        layer.query.apply(x, rows: rows, into: big, outputStride: 3 * h)
        layer.key.apply(x, rows: rows, into: big + h, outputStride: 3 * h)
        layer.value.apply(x, rows: rows, into: big + 2 * h, outputStride: 3 * h)
        for index in sequences.indices {
            Self.attention(big + starts[index] * 3 * h, length: sequences[index].count, into: tmp + starts[index] * h)
        }
        // x = LayerNorm(x + context·Woᵀ + bo); the projection lands in the wide buffer first.
        layer.attentionOutput.apply(tmp, rows: rows, into: big, outputStride: h)
        Self.addAndNormalize(x, big, rows: rows, layer.attentionNorm)
        layer.up.apply(x, rows: rows, into: big, outputStride: Self.intermediate)
        Self.gelu(big, count: rows * Self.intermediate)
        layer.down.apply(big, rows: rows, into: tmp, outputStride: h)
        Self.addAndNormalize(x, tmp, rows: rows, layer.outputNorm)
    }

    /// Scaled dot-product attention (scores times 1/√32) of one text, all heads. `qkv` rows are `[q | k | v]`,
    /// 3 × 384 floats.
    private static func attention(
        _ qkv: UnsafeMutablePointer<Float>,
        length: Int,
        into context: UnsafeMutablePointer<Float>
    ) {
        let h = hidden
        let stride = 3 * h
        let scale = 1 / Float(headSize).squareRoot()
        var weights = [Float](repeating: 0, count: length)
        weights.withUnsafeMutableBufferPointer { p in
            for head in 0..<heads {
                let offset = head * headSize
                for i in 0..<length {
                    let q = UnsafeRawPointer(qkv + i * stride + offset)
                    let q0 = q.loadUnaligned(as: SIMD16<Float>.self)
                    let q1 = q.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
                    var largest = -Float.infinity
                    for j in 0..<length {
                        let k = UnsafeRawPointer(qkv + j * stride + h + offset)
                        let product = q0 * k.loadUnaligned(as: SIMD16<Float>.self)
                            + q1 * k.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
                        let score = product.sum() * scale
                        p[j] = score
                        largest = max(largest, score)
                    }
                    var total: Float = 0
                    for j in 0..<length {
                        let e = expf(p[j] - largest)
                        p[j] = e
                        total += e
                    }
                    var c0 = SIMD16<Float>()
                    var c1 = SIMD16<Float>()
                    for j in 0..<length {
                        let v = UnsafeRawPointer(qkv + j * stride + 2 * h + offset)
                        c0 += v.loadUnaligned(as: SIMD16<Float>.self) * p[j]
                        c1 += v.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self) * p[j]
                    }
                    let destination = UnsafeMutableRawPointer(context + i * h + offset)
                    destination.storeBytes(of: c0 / total, as: SIMD16<Float>.self)
                    destination.storeBytes(of: c1 / total, toByteOffset: 64, as: SIMD16<Float>.self)
                }
            }
        }
    }

    /// `x = LayerNorm(x + y)` row by row.
    private static func addAndNormalize(
        _ x: UnsafeMutablePointer<Float>,
        _ y: UnsafeMutablePointer<Float>,
        rows: Int,
        _ norm: (weight: [Float], bias: [Float])
    ) {
        let h = hidden
        for row in 0..<rows {
            let destination = x + row * h
            let addend = y + row * h
            for column in 0..<h {
                destination[column] += addend[column]
            }
            layerNorm(destination, norm)
        }
    }

    /// Normalises one row of ``hidden`` floats in place: zero mean, unit variance, then scale and shift.
    private static func layerNorm(_ row: UnsafeMutablePointer<Float>, _ norm: (weight: [Float], bias: [Float])) {
        let raw = UnsafeMutableRawPointer(row)
        let chunks = hidden / 16
        var sum = SIMD16<Float>()
        for chunk in 0..<chunks {
            sum += raw.loadUnaligned(fromByteOffset: chunk * 64, as: SIMD16<Float>.self)
        }
        let mean = sum.sum() / Float(hidden)
        var squares = SIMD16<Float>()
        for chunk in 0..<chunks {
            let centred = raw.loadUnaligned(fromByteOffset: chunk * 64, as: SIMD16<Float>.self) - mean
            squares += centred * centred
        }
        let inverse = 1 / (squares.sum() / Float(hidden) + layerNormEpsilon).squareRoot()
        norm.weight.withUnsafeBytes { weight in
            norm.bias.withUnsafeBytes { bias in
                for chunk in 0..<chunks {
                    let offset = chunk * 64
                    let value = raw.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                    let gamma = weight.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                    let beta = bias.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                    let scaled = (value - mean) * inverse * gamma + beta
                    raw.storeBytes(of: scaled, toByteOffset: offset, as: SIMD16<Float>.self)
                }
            }
        }
    }

    /// GELU in its exact form, `x·Φ(x) = x/2·(1 + erf(x/√2))`, in place.
    private static func gelu(_ values: UnsafeMutablePointer<Float>, count: Int) {
        let inverseRootTwo: Float = 0.70710678118654752
        for index in 0..<count {
            let x = values[index]
            values[index] = 0.5 * x * (1 + erff(x * inverseRootTwo))
        }
    }

    /// Mean of a text's token rows, scaled to unit length (a zero vector stays zero).
    private static func pool(_ states: [Float], from start: Int, count: Int) -> [Float] {
        let h = hidden
        var sums = [Double](repeating: 0, count: h)
        for row in start..<(start + count) {
            for column in 0..<h {
                sums[column] += Double(states[row * h + column])
            }
        }
        let norm = sums.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let factor = norm > 1e-12 ? 1 / norm : 0
        return sums.map { Float($0 * factor) }
    }
}
