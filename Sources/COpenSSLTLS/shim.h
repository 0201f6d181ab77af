#ifndef LAKEMARK_COPENSSLTLS_SHIM_H
#define LAKEMARK_COPENSSLTLS_SHIM_H
/* libssl (OpenSSL 3) headers used by the TLS target, and functions for the macros Swift cannot import. */
#include <stdio.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <openssl/x509_vfy.h>

/// Refuses protocol versions older than TLS 1.2 on a context; returns 1 on success.
static inline int lakemark_tls_require_tls12(SSL_CTX *ctx) {
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}

/// Turns off TLS compression and renegotiation on a context.
static inline void lakemark_tls_disable_compression_and_renegotiation(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
}

/// Sets the server name sent in the TLS SNI extension; returns 1 on success.
static inline int lakemark_tls_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/// The `SSL_RECEIVED_SHUTDOWN` bit of `SSL_get_shutdown`: whether the peer sent close_notify.
static inline int lakemark_tls_received_close_notify(const SSL *ssl) {
    return (SSL_get_shutdown(ssl) & SSL_RECEIVED_SHUTDOWN) != 0;
}
/// Server context options: no compression or renegotiation, the server's cipher order, and a peer's close
/// without close_notify read as end-of-stream rather than as an error.
static inline void lakemark_tls_server_options(SSL_CTX *ctx) {
    SSL_CTX_set_options(
        ctx,
        SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE
            | SSL_OP_IGNORE_UNEXPECTED_EOF);
}

/// The `SSL_SENT_SHUTDOWN` bit of `SSL_get_shutdown`: whether close_notify was already sent.
static inline int lakemark_tls_sent_close_notify(const SSL *ssl) {
    return (SSL_get_shutdown(ssl) & SSL_SENT_SHUTDOWN) != 0;
}

/// Removes every error OpenSSL queued on this thread and writes their texts, joined by "; ", into `buffer`
/// (always NUL-terminated, cut at `length`); returns how many errors were queued. Shared by the TLS client and
/// the HTTP server so both report OpenSSL failures the same way.
static inline int lakemark_tls_drain_errors(char *buffer, size_t length) {
    int count = 0;
    size_t used = 0;
    unsigned long code;
    if (length > 0) {
        buffer[0] = 0;
    }
    while ((code = ERR_get_error()) != 0) {
        char text[256];
        ERR_error_string_n(code, text, sizeof text);
        if (length > 0 && used + 1 < length) {
            int written = snprintf(buffer + used, length - used, "%s%s", count ? "; " : "", text);
            if (written > 0) {
                used += (size_t)written;
                if (used >= length) {
                    used = length - 1;
                }
            }
        }
        count++;
    }
    return count;
}
#endif
