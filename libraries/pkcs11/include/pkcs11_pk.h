/* Alder PKCS#11: mbedTLS key objects over a PKCS#11 token, for TLS client authentication and CSRs.
 * It must never see private key bytes: private operations go through C_Sign; only public halves are read. */
#ifndef PKCS11_PK_H
#define PKCS11_PK_H

#include "mbedtls/pk.h"
#include "pkcs11.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Makes `pk` (initialised with mbedtls_pk_init, not yet set up) a key whose signatures come from the token:
 * mbedtls_pk_sign on it calls C_SignInit and C_Sign on `private_key` in `session`, through `functions`.
 * `public_key` is the matching public key (a certificate's pk, or one from pkcs11_pk_load_public); its type
 * decides the mechanism: EC P-256 signs with CKM_ECDSA (the r||s result is re-encoded as DER for mbedTLS),
 * RSA with CKM_RSA_PKCS over a DigestInfo. The public half is copied, so `public_key` may be freed after.
 * The session must stay open, and logged in, until mbedtls_pk_free(pk).
 * Signing is not locked here: two tasks must not sign with one session at once (PKCS#11's own rule).
 * Returns 0, MBEDTLS_ERR_PK_BAD_INPUT_DATA (a NULL argument), MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE (a key
 * that is neither P-256 nor RSA) or MBEDTLS_ERR_PK_ALLOC_FAILED. A failed C_Sign later makes
 * mbedtls_pk_sign return MBEDTLS_ERR_PK_HW_ACCEL_FAILED.
 */
int pkcs11_pk_setup(mbedtls_pk_context *pk, CK_FUNCTION_LIST_PTR functions, CK_SESSION_HANDLE session,
                    CK_OBJECT_HANDLE private_key, const mbedtls_pk_context *public_key);

/*
 * Reads a public key object (CKO_PUBLIC_KEY: EC P-256 from CKA_EC_PARAMS and CKA_EC_POINT, or RSA from
 * CKA_MODULUS and CKA_PUBLIC_EXPONENT) into `pk` (initialised, not set up). Returns 0,
 * MBEDTLS_ERR_PK_BAD_INPUT_DATA, MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE (another key type or curve),
 * MBEDTLS_ERR_PK_INVALID_PUBKEY (a value that does not parse) or MBEDTLS_ERR_PK_FILE_IO_ERROR (a
 * C_GetAttributeValue that failed). On failure `pk` is freed.
 */
int pkcs11_pk_load_public(mbedtls_pk_context *pk, CK_FUNCTION_LIST_PTR functions, CK_SESSION_HANDLE session,
                          CK_OBJECT_HANDLE public_key);

/*
 * 1 when `a` and `b` (token keys from pkcs11_pk_setup or ordinary mbedTLS keys, in any mix) have the same public
 * half: the same kind (EC or RSA), curve and point, or modulus and exponent; else 0. Use it to check that a
 * certificate belongs to a stored key: mbedtls_pk_check_pair cannot, since it accepts only keys of mbedTLS's own kinds.
 */
int pkcs11_pk_same_public(const mbedtls_pk_context *a, const mbedtls_pk_context *b);

#ifdef __cplusplus
}
#endif

#endif /* PKCS11_PK_H */
