/* Alder PKCS#11: the cryptography the module needs, on mbedTLS 2.28 (random bits, SHA-256, keys, signatures).
 * It must never keep key material after a call returns: every key context and buffer it fills is freed and
 * zeroed before it returns, except the DER it was asked to write into the caller's buffer. */
#ifndef PKCS11_CRYPTO_H
#define PKCS11_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "mbedtls/pk.h"

#include "pkcs11.h"
#include "pkcs11_template.h"

/* Signature sizes of the two mechanisms: r||s for ECDSA P-256, the modulus size for RSA-2048. */
#define PKCS11_ECDSA_P256_SIGNATURE_SIZE 64u
#define PKCS11_RSA_2048_BYTES 256u
#define PKCS11_SHA256_SIZE 32u
/* Big enough for the DER of any value the module builds: an RSA-2048 private key is about 1200 bytes. */
#define PKCS11_DER_BUFFER_SIZE 1700u

/* Seed the module's CTR_DRBG from PKCS11_PAL_GetEntropy. CKR_OK; CKR_FUNCTION_FAILED if the entropy
 * source failed. pkcs11_crypto_stop frees it (and is harmless when start failed or never ran). */
CK_RV pkcs11_crypto_start(void);
void pkcs11_crypto_stop(void);

/* mbedTLS's random callback shape, on the module's DRBG. 0 or an mbedTLS error. Lock held. */
int pkcs11_crypto_rng(void *unused, unsigned char *out, size_t length);

/* length random bytes. CKR_OK; CKR_FUNCTION_FAILED if the DRBG could not reseed. */
CK_RV pkcs11_crypto_random(uint8_t *out, size_t length);

/* SHA-256 of data. CKR_OK; CKR_FUNCTION_FAILED on an mbedTLS failure. */
CK_RV pkcs11_crypto_sha256(const uint8_t *data, size_t length, uint8_t digest[PKCS11_SHA256_SIZE]);

/* Build the DER a record keeps from a C_CreateObject template that pkcs11_template_parse accepted:
 * the certificate itself (checked to parse), a SubjectPublicKeyInfo, or a SEC1/PKCS#1 private key.
 * *value points into der (capacity bytes) or, for a certificate, into the template.
 * CKR_OK; CKR_ATTRIBUTE_VALUE_INVALID if the values are not a valid certificate, point or key, or the RSA
 * key is not 2048 bits; CKR_DEVICE_MEMORY if der is too small; CKR_FUNCTION_FAILED otherwise. */
CK_RV pkcs11_crypto_value_from_template(const pkcs11_template_t *t, uint8_t *der, size_t capacity,
                                        const uint8_t **value, size_t *value_length);

/* A new P-256 key pair: its private key DER (SEC1) into private_der, its SubjectPublicKeyInfo into
 * public_der; *private_value / *public_value point into them. CKR_OK; CKR_FUNCTION_FAILED. */
CK_RV pkcs11_crypto_generate_p256(uint8_t *private_der, size_t private_capacity, const uint8_t **private_value,
                                  size_t *private_length, uint8_t *public_der, size_t public_capacity,
                                  const uint8_t **public_value, size_t *public_length);

/* Parse a record's DER into pk (which the caller has mbedtls_pk_init'ed and frees). 0 on success. */
int pkcs11_crypto_parse_key(mbedtls_pk_context *pk, const uint8_t *der, size_t length, int is_private);

/* The key type (CKK_EC / CKK_RSA) of a parsed key, or CK_UNAVAILABLE_INFORMATION for any other key,
 * including EC keys on another curve and RSA keys of another size. */
CK_KEY_TYPE pkcs11_crypto_key_type(const mbedtls_pk_context *pk);

/* The signature size a mechanism gives with this key type: 64 (CKM_ECDSA, CKK_EC) or 256 (CKM_RSA_PKCS,
 * CKK_RSA); 0 if the mechanism does not go with the key type. */
size_t pkcs11_crypto_signature_size(CK_MECHANISM_TYPE mechanism, CK_KEY_TYPE key_type);

/* Sign data with a private key. signature has room for pkcs11_crypto_signature_size bytes.
 * CKR_OK; CKR_DATA_LEN_RANGE (ECDSA: not 32 bytes; RSA: more than 245 bytes); CKR_FUNCTION_FAILED. */
CK_RV pkcs11_crypto_sign(mbedtls_pk_context *pk, CK_MECHANISM_TYPE mechanism, const uint8_t *data, size_t length,
                         uint8_t *signature);

/* Verify a signature with a public key (or the public half of a private key).
 * CKR_OK; CKR_SIGNATURE_INVALID; CKR_SIGNATURE_LEN_RANGE (not 64 / 256 bytes); CKR_DATA_LEN_RANGE. */
CK_RV pkcs11_crypto_verify(mbedtls_pk_context *pk, CK_MECHANISM_TYPE mechanism, const uint8_t *data, size_t length,
                           const uint8_t *signature, size_t signature_length);

#endif /* PKCS11_CRYPTO_H */
