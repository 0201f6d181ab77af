#ifndef LAKEMARK_COPENSSLTLS_SHIM_H
#define LAKEMARK_COPENSSLTLS_SHIM_H
/* libssl (OpenSSL 3) headers used by the TLS target, and functions for the macros Swift cannot import. */
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
#endif
