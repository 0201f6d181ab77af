#ifndef LAKEMARK_CZSTD_SHIM_H
#define LAKEMARK_CZSTD_SHIM_H
#include <zstd.h>
#include <zstd_errors.h>
#endif
