import COpenBLAS

/// OpenBLAS, opened at run time (`dlopen` of `libopenblas.so.0`) the first time a model is loaded: the binary
/// does not link it, so everything but the optional semantic layer works where it is not installed.
enum OpenBLAS {
    /// The loaded entry points, set to one thread per call (callers run texts in parallel; BLAS threads on top
    /// of that would oversubscribe the cores); `nil` when the library or `cblas_sgemm` is missing.
    static let library: lakemark_openblas? = {
        let loaded = lakemark_openblas_load()
        guard loaded.sgemm != nil else { return nil }
        loaded.set_num_threads?(1)
        return loaded
    }()

    /// `cblas_sgemm`, or an error naming the missing package.
    /// - Returns: The function.
    /// - Throws: ``SemanticError`` with code `model_invalid` when OpenBLAS cannot be loaded.
    static func sgemm() throws(SemanticError) -> lakemark_sgemm_fn {
        guard let function = library?.sgemm else {
            throw SemanticError(
                .modelInvalid,
                "the sentence encoder needs OpenBLAS (libopenblas.so.0; Debian: apt-get install libopenblas0)"
            )
        }
        return function
    }
}
