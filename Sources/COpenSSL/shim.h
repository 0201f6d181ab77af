#ifndef LAKEMARK_COPENSSL_SHIM_H
#define LAKEMARK_COPENSSL_SHIM_H
/* libcrypto (OpenSSL 3) headers used by the AWSSigning target: digests, MACs, base64 and memcmp. */
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

/// Sets the digest of an HMAC context to SHA-256 (the parameter array is awkward to build from Swift).
static inline int lakemark_mac_set_sha256(EVP_MAC_CTX *ctx) {
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    return EVP_MAC_CTX_set_params(ctx, params);
}
#endif
