#ifndef BIEUMAU_CCRYPTO_SHIM_H
#define BIEUMAU_CCRYPTO_SHIM_H
// libcrypto (OpenSSL 3): only SHA-256 (EVP digests, HMAC) and its error strings.
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#endif
