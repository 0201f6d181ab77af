/// A fully connected layer `y = x·Wᵀ + b` with its weights packed for the SIMD kernel.
///
/// PyTorch stores `W` as `outputs × inputs`. At load the weights are transposed into panels of 16 output
/// columns, each panel `inputs × 16` floats in a row, so the kernel streams one panel while it accumulates
/// 16 outputs of 4 input rows in registers.
struct DenseLayer: Sendable {
    /// Columns per panel: one `SIMD16<Float>`.
    static let panelWidth = 16
    /// Input rows computed together, each with its own accumulator.
    static let rowBlock = 4

    /// Input features (`K`).
    let inputs: Int
    /// Output features (`N`), a multiple of ``panelWidth``.
    let outputs: Int
    private let panels: [Float]
    private let bias: [Float]

    /// Packs a PyTorch-layout weight matrix.
    /// - Parameters:
    ///   - weight: `outputs × inputs`, row-major.
    ///   - bias: `outputs` values.
    ///   - inputs: `K`.
    ///   - outputs: `N`, a multiple of 16.
    ///   - scale: Factor applied to weight and bias (folds the attention scale into the query projection).
    init(weight: [Float], bias: [Float], inputs: Int, outputs: Int, scale: Float = 1) {
        precondition(outputs % Self.panelWidth == 0 && weight.count == inputs * outputs && bias.count == outputs)
        self.inputs = inputs
        self.outputs = outputs
        let width = Self.panelWidth
        var packed = [Float](repeating: 0, count: inputs * outputs)
        for panel in 0..<(outputs / width) {
            for k in 0..<inputs {
                for column in 0..<width {
                    packed[(panel * inputs + k) * width + column] = weight[(panel * width + column) * inputs + k] * scale
                }
            }
        }
        panels = packed
        self.bias = bias.map { $0 * scale }
    }

    /// Stacks layers that read the same input into one wider layer (query, key and value).
    /// - Parameter parts: Layers with equal ``inputs``.
    init(concatenating parts: [DenseLayer]) {
        inputs = parts[0].inputs
        outputs = parts.reduce(0) { $0 + $1.outputs }
        panels = parts.flatMap(\.panels)
        bias = parts.flatMap(\.bias)
    }

    /// `output[r] = input[r]·Wᵀ + b` for `rows` rows.
    /// - Parameters:
    ///   - input: `rows × inputs` floats, row-major.
    ///   - rows: Number of rows.
    ///   - output: `rows × outputs` floats, overwritten.
    func apply(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>) {
        let width = Self.panelWidth
        let k = inputs
        let n = outputs
        panels.withUnsafeBufferPointer { panelBuffer in
            bias.withUnsafeBufferPointer { biasBuffer in
                let panelBase = UnsafeRawPointer(panelBuffer.baseAddress!)
                let biasBase = UnsafeRawPointer(biasBuffer.baseAddress!)
                for panel in 0..<(n / width) {
                    let weights = panelBase + panel * k * width * 4
                    let start = biasBase.loadUnaligned(fromByteOffset: panel * width * 4, as: SIMD16<Float>.self)
                    let column = panel * width
                    var row = 0
                    while row + Self.rowBlock <= rows {
                        let x0 = input + row * k
                        let x1 = x0 + k
                        let x2 = x1 + k
                        let x3 = x2 + k
                        var a0 = start
                        var a1 = start
                        var a2 = start
                        var a3 = start
                        for index in 0..<k {
                            let w = weights.loadUnaligned(fromByteOffset: index * width * 4, as: SIMD16<Float>.self)
                            a0 += w * x0[index]
                            a1 += w * x1[index]
                            a2 += w * x2[index]
                            a3 += w * x3[index]
                        }
                        Self.store(a0, output + row * n + column)
                        Self.store(a1, output + (row + 1) * n + column)
                        Self.store(a2, output + (row + 2) * n + column)
                        Self.store(a3, output + (row + 3) * n + column)
                        row += Self.rowBlock
                    }
                    while row < rows {
                        let x0 = input + row * k
                        var a0 = start
                        for index in 0..<k {
                            a0 += weights.loadUnaligned(fromByteOffset: index * width * 4, as: SIMD16<Float>.self)
                                * x0[index]
                        }
                        Self.store(a0, output + row * n + column)
                        row += 1
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func store(_ value: SIMD16<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD16<Float>.self)
    }
}
