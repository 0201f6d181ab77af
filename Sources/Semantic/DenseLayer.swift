import COpenBLAS

/// A fully connected layer `y = x·Wᵀ + b`, computed with OpenBLAS `sgemm` straight from the mapped weights.
///
/// `W` stays where the safetensors file has it, in PyTorch's `outputs × inputs` row-major layout; `sgemm` reads
/// it transposed in place, so no weight is copied and pages are shared with the page cache.
struct DenseLayer: Sendable {
    /// Input features (`K`).
    let inputs: Int
    /// Output features (`N`).
    let outputs: Int
    private let file: SafeTensorsFile
    private let weight: SafeTensorsFile.Entry
    private let bias: [Float]
    private let sgemm: lakemark_sgemm_fn

    /// Looks up `<prefix>.weight` (`outputs × inputs`) and `<prefix>.bias` (`outputs`).
    /// - Parameters:
    ///   - file: The mapped checkpoint; the layer keeps it alive.
    ///   - prefix: Tensor name prefix, e.g. `"encoder.layer.0.intermediate.dense"`.
    ///   - inputs: `K`.
    ///   - outputs: `N`.
    /// - Throws: `SemanticError.modelInvalid` when a tensor is missing, misshapen or not 4-byte aligned, or when
    ///   OpenBLAS cannot be loaded.
    init(file: SafeTensorsFile, prefix: String, inputs: Int, outputs: Int) throws(SemanticError) {
        self.inputs = inputs
        self.outputs = outputs
        self.file = file
        sgemm = try OpenBLAS.sgemm()
        weight = try file.entry(prefix + ".weight", shape: [outputs, inputs])
        guard weight.offset % MemoryLayout<Float>.alignment == 0 else {
            throw SemanticError(.modelInvalid, "\(file.path): tensor \(prefix).weight is not 4-byte aligned")
        }
        bias = try file.array(prefix + ".bias", shape: [outputs])
    }

    /// `output[r] = input[r]·Wᵀ + b` for `rows` rows.
    /// - Parameters:
    ///   - input: `rows × inputs` floats, row-major.
    ///   - rows: Number of rows.
    ///   - output: First output element; row `r` starts at `output + r * outputStride`.
    ///   - outputStride: Distance between output rows in floats, at least ``outputs`` (wider rows let
    ///     query, key and value land side by side).
    func apply(
        _ input: UnsafePointer<Float>,
        rows: Int,
        into output: UnsafeMutablePointer<Float>,
        outputStride: Int
    ) {
        guard rows > 0 else { return }
        bias.withUnsafeBufferPointer { bias in
            for row in 0..<rows {
                (output + row * outputStride).update(from: bias.baseAddress!, count: outputs)
            }
        }
        let weights = file.bytes(of: weight).baseAddress!.bindMemory(to: Float.self, capacity: inputs * outputs)
        sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans,
            blasint(rows), blasint(outputs), blasint(inputs),
            1, input, blasint(inputs),
            weights, blasint(inputs),
            1, output, blasint(outputStride)
        )
    }
}
