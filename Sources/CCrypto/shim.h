#ifndef BIEUMAU_CCRYPTO_SHIM_H
#define BIEUMAU_CCRYPTO_SHIM_H
// libcrypto (OpenSSL 3): only its message digests (EVP), for SHA-256, and its error strings.
#include <openssl/evp.h>
#include <openssl/err.h>
#endif
