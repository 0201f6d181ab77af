#ifndef LAKEMARK_CEPOLL_SHIM_H
#define LAKEMARK_CEPOLL_SHIM_H
// The Glibc Swift module does not export epoll or eventfd; HTTPServer's reactor needs both.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif
