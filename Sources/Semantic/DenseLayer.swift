import COpenBLAS

/// A fully connected layer `y = x·Wᵀ + b`, computed with OpenBLAS `sgemm`.
///
/// `W` keeps PyTorch's `outputs × inputs` row-major layout; `sgemm` reads it transposed in place.
struct DenseLayer: Sendable {
    /// Input features (`K`).
    let inputs: Int
    /// Output features (`N`).
    let outputs: Int
    private let weight: [Float]
    private let bias: [Float]

    /// Creates a layer from PyTorch-layout weights.
    /// - Parameters:
    ///   - weight: `outputs × inputs`, row-major.
    ///   - bias: `outputs` values.
    ///   - inputs: `K`.
    ///   - outputs: `N`.
    ///   - scale: Factor applied to weight and bias (folds the attention scale into the query projection).
    init(weight: [Float], bias: [Float], inputs: Int, outputs: Int, scale: Float = 1) {
        precondition(weight.count == inputs * outputs && bias.count == outputs)
        self.inputs = inputs
        self.outputs = outputs
        self.weight = scale == 1 ? weight : weight.map { $0 * scale }
        self.bias = scale == 1 ? bias : bias.map { $0 * scale }
    }

    /// Stacks layers that read the same input into one wider layer (query, key and value).
    /// - Parameter parts: Layers with equal ``inputs``.
    init(concatenating parts: [DenseLayer]) {
        inputs = parts[0].inputs
        outputs = parts.reduce(0) { $0 + $1.outputs }
        weight = parts.flatMap(\.weight)
        bias = parts.flatMap(\.bias)
    }

    /// `output[r] = input[r]·Wᵀ + b` for `rows` rows.
    /// - Parameters:
    ///   - input: `rows × inputs` floats, row-major.
    ///   - rows: Number of rows.
    ///   - output: `rows × outputs` floats, overwritten.
    func apply(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>) {
        guard rows > 0 else { return }
        bias.withUnsafeBufferPointer { bias in
            for row in 0..<rows {
                (output + row * outputs).update(from: bias.baseAddress!, count: outputs)
            }
        }
        weight.withUnsafeBufferPointer { weight in
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans,
                blasint(rows), blasint(outputs), blasint(inputs),
                1, input, blasint(inputs),
                weight.baseAddress, blasint(inputs),
                1, output, blasint(outputs)
            )
        }
    }
}
