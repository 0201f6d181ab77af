#ifndef LAKEMARK_COPENBLAS_SHIM_H
#define LAKEMARK_COPENBLAS_SHIM_H
/* Debian's OpenBLAS (libopenblas-dev at build time for the CBLAS declarations; libopenblas0 at run time).
   The library is not linked: lakemark_openblas_load() opens it with dlopen the first time a sentence encoder is
   created, so that the binary (and the Lambda package) runs where OpenBLAS is absent and only the optional
   semantic layer needs it. Its DYNAMIC_ARCH build picks SSE, AVX2 or AVX-512 kernels for the CPU at load time. */
#include <cblas.h>
#include <dlfcn.h>
#include <stddef.h>

typedef void (*lakemark_sgemm_fn)(const enum CBLAS_ORDER, const enum CBLAS_TRANSPOSE, const enum CBLAS_TRANSPOSE,
                                  const blasint, const blasint, const blasint, const float, const float *,
                                  const blasint, const float *, const blasint, const float, float *,
                                  const blasint);
typedef void (*lakemark_set_threads_fn)(int);

/* The loaded entry points; sgemm is NULL when OpenBLAS could not be loaded. */
typedef struct {
    lakemark_sgemm_fn sgemm;
    lakemark_set_threads_fn set_num_threads;
} lakemark_openblas;

static inline lakemark_openblas lakemark_openblas_load(void) {
    lakemark_openblas blas = {NULL, NULL};
    void *handle = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        return blas;
    }
    blas.sgemm = (lakemark_sgemm_fn)dlsym(handle, "cblas_sgemm");
    blas.set_num_threads = (lakemark_set_threads_fn)dlsym(handle, "openblas_set_num_threads");
    return blas;
}
#endif
