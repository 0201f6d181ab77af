#ifndef LAKEMARK_COPENBLAS_SHIM_H
#define LAKEMARK_COPENBLAS_SHIM_H
/* Debian's OpenBLAS (libopenblas-dev): CBLAS plus openblas_set_num_threads. Its DYNAMIC_ARCH build picks
   the kernels for the CPU it runs on (SSE, AVX2, AVX-512) at load time. */
#include <cblas.h>
#endif
