#ifndef LAKEMARK_CNGHTTP2_SHIM_H
#define LAKEMARK_CNGHTTP2_SHIM_H
/* libnghttp2 (HTTP/2 framing, HPACK, flow control) for the HTTP2Client target. */
#include <nghttp2/nghttp2.h>
#endif
