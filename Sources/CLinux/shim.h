#ifndef LAKEMARK_CLINUX_SHIM_H
#define LAKEMARK_CLINUX_SHIM_H
// Linux interfaces the Glibc Swift module does not export: epoll and eventfd (HTTPServer's reactor),
// syncfs (the local sink's batched durability) and mallopt (the service's allocator tuning).
#include <malloc.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

/// Flushes the file system containing `fd` (syncfs(2)); returns 0 or -1 with errno set.
static inline int lakemark_syncfs(int fd) {
    return (int)syscall(SYS_syncfs, fd);
}
#endif
