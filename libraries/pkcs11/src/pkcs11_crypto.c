/* Alder PKCS#11: the cryptography the module needs, on mbedTLS 2.28 (random bits, SHA-256, keys, signatures).
 * It must never return with a key context still holding a key, nor log anything: mbedTLS frees (and zeroes)
 * its contexts in mbedtls_*_free, which every path below reaches. */
#include "pkcs11_crypto.h"

#include <string.h>

#include "mbedtls/bignum.h"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/ecp.h"
#include "mbedtls/platform_util.h"
#include "mbedtls/rsa.h"
#include "mbedtls/sha256.h"
#include "mbedtls/x509_crt.h"

#include "pkcs11_pal.h"

#define ENTROPY_CHUNK 128u /* the most the PAL is asked for at once (pkcs11_pal.h) */
#define DRBG_CHUNK 1024u   /* MBEDTLS_CTR_DRBG_MAX_REQUEST */
#define RSA_PKCS1_OVERHEAD 11u
#define EC_POINT_SIZE 65u /* 0x04, X, Y */
/* The longest big-endian integer each key part may be (one leading zero byte allowed): anything longer is
 * refused before any arithmetic, so a huge attribute costs a length check, not seconds of bignum work. */
#define EC_SCALAR_MAX 33u
#define RSA_MODULUS_MAX (PKCS11_RSA_2048_BYTES + 1u)
#define RSA_PRIME_MAX (PKCS11_RSA_2048_BYTES / 2u + 1u)
#define RSA_EXPONENT_MAX 8u

static mbedtls_ctr_drbg_context drbg;
static int drbg_ready;

/* The DRBG's entropy callback: the board's source, in pieces it may ask for. */
static int entropy_source(void *unused, unsigned char *out, size_t length)
{
    (void)unused;
    while (length > 0) {
        size_t chunk = length < ENTROPY_CHUNK ? length : ENTROPY_CHUNK;
        if (PKCS11_PAL_GetEntropy(out, chunk) != CKR_OK) {
            return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
        }
        out += chunk;
        length -= chunk;
    }
    return 0;
}

CK_RV pkcs11_crypto_start(void)
{
    static const unsigned char personalization[] = "Alder PKCS#11 module";
    mbedtls_ctr_drbg_init(&drbg);
    if (mbedtls_ctr_drbg_seed(&drbg, entropy_source, NULL, personalization, sizeof(personalization) - 1) != 0) {
        mbedtls_ctr_drbg_free(&drbg);
        return CKR_FUNCTION_FAILED;
    }
    drbg_ready = 1;
    return CKR_OK;
}

void pkcs11_crypto_stop(void)
{
    if (drbg_ready) {
        mbedtls_ctr_drbg_free(&drbg);
        drbg_ready = 0;
    }
}

int pkcs11_crypto_rng(void *unused, unsigned char *out, size_t length)
{
    (void)unused;
    if (!drbg_ready) {
        return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
    }
    while (length > 0) {
        size_t chunk = length < DRBG_CHUNK ? length : DRBG_CHUNK;
        int ret = mbedtls_ctr_drbg_random(&drbg, out, chunk);
        if (ret != 0) {
            return ret;
        }
        out += chunk;
        length -= chunk;
    }
    return 0;
}

CK_RV pkcs11_crypto_random(uint8_t *out, size_t length)
{
    return pkcs11_crypto_rng(NULL, out, length) == 0 ? CKR_OK : CKR_FUNCTION_FAILED;
}

CK_RV pkcs11_crypto_sha256(const uint8_t *data, size_t length, uint8_t digest[PKCS11_SHA256_SIZE])
{
    return mbedtls_sha256_ret(data, length, digest, 0) == 0 ? CKR_OK : CKR_FUNCTION_FAILED;
}

/* DER of pk (private or public) at the end of der, as mbedTLS writes it. */
static CK_RV write_der(mbedtls_pk_context *pk, int is_private, uint8_t *der, size_t capacity, const uint8_t **value,
                       size_t *value_length)
{
    int n = is_private ? mbedtls_pk_write_key_der(pk, der, capacity) : mbedtls_pk_write_pubkey_der(pk, der, capacity);
    if (n == MBEDTLS_ERR_ASN1_BUF_TOO_SMALL) {
        return CKR_DEVICE_MEMORY;
    }
    if (n <= 0) {
        return CKR_FUNCTION_FAILED;
    }
    *value = der + capacity - (size_t)n;
    *value_length = (size_t)n;
    return CKR_OK;
}

static CK_RV check_certificate(const pkcs11_template_bytes_t *value)
{
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    int ret = mbedtls_x509_crt_parse_der(&crt, value->bytes, value->length);
    mbedtls_x509_crt_free(&crt);
    return ret == 0 ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
}

/* CKA_EC_POINT as pkcs11-tool sends it (the DER OCTET STRING 04 41 <point>), or the bare point. */
static const uint8_t *ec_point_bytes(const pkcs11_template_bytes_t *point)
{
    if (point->length == EC_POINT_SIZE + 2 && point->bytes[0] == 0x04 && point->bytes[1] == EC_POINT_SIZE) {
        return point->bytes + 2;
    }
    return point->length == EC_POINT_SIZE ? point->bytes : NULL;
}

static CK_RV setup(mbedtls_pk_context *pk, mbedtls_pk_type_t type)
{
    mbedtls_pk_init(pk);
    return mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(type)) == 0 ? CKR_OK : CKR_FUNCTION_FAILED;
}

/* CKA_VALUE is the scalar d; the public point is derived from it, as the record keeps both. */
static CK_RV load_ec_private(mbedtls_ecp_keypair *ec, const pkcs11_template_bytes_t *scalar)
{
    if (scalar->length > EC_SCALAR_MAX ||
        mbedtls_ecp_read_key(MBEDTLS_ECP_DP_SECP256R1, ec, scalar->bytes, scalar->length) != 0) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    return mbedtls_ecp_mul(&ec->grp, &ec->Q, &ec->d, &ec->grp.G, pkcs11_crypto_rng, NULL) == 0 ? CKR_OK
                                                                                               : CKR_FUNCTION_FAILED;
}

static CK_RV load_ec_public(mbedtls_ecp_keypair *ec, const pkcs11_template_bytes_t *ec_point)
{
    const uint8_t *point = ec_point_bytes(ec_point);
    if (mbedtls_ecp_group_load(&ec->grp, MBEDTLS_ECP_DP_SECP256R1) != 0) {
        return CKR_FUNCTION_FAILED;
    }
    if (point == NULL || mbedtls_ecp_point_read_binary(&ec->grp, &ec->Q, point, EC_POINT_SIZE) != 0 ||
        mbedtls_ecp_check_pubkey(&ec->grp, &ec->Q) != 0) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    return CKR_OK;
}

static CK_RV build_ec(const pkcs11_template_t *t, uint8_t *der, size_t capacity, const uint8_t **value,
                      size_t *value_length)
{
    mbedtls_pk_context pk;
    CK_RV rv = setup(&pk, MBEDTLS_PK_ECKEY);
    int is_private = t->object_class == CKO_PRIVATE_KEY;
    if (rv == CKR_OK) {
        rv = is_private ? load_ec_private(mbedtls_pk_ec(pk), &t->value)
                        : load_ec_public(mbedtls_pk_ec(pk), &t->ec_point);
    }
    if (rv == CKR_OK) {
        rv = write_der(&pk, is_private, der, capacity, value, value_length);
    }
    mbedtls_pk_free(&pk);
    return rv;
}

static int rsa_sizes_plausible(const pkcs11_template_t *t, int is_private)
{
    if (t->modulus.length > RSA_MODULUS_MAX || t->public_exponent.length > RSA_EXPONENT_MAX) {
        return 0;
    }
    return !is_private || (t->private_exponent.length <= RSA_MODULUS_MAX && t->prime_1.length <= RSA_PRIME_MAX &&
                           t->prime_2.length <= RSA_PRIME_MAX);
}

static CK_RV build_rsa(const pkcs11_template_t *t, uint8_t *der, size_t capacity, const uint8_t **value,
                       size_t *value_length)
{
    mbedtls_pk_context pk;
    CK_RV rv = setup(&pk, MBEDTLS_PK_RSA);
    mbedtls_rsa_context *rsa = mbedtls_pk_rsa(pk);
    int is_private = t->object_class == CKO_PRIVATE_KEY;
    if (rv == CKR_OK && !rsa_sizes_plausible(t, is_private)) {
        rv = CKR_ATTRIBUTE_VALUE_INVALID;
    } else if (rv == CKR_OK) {
        /* The CRT values in the template are not used: mbedtls_rsa_complete derives them from P and Q. */
        int ret =
            mbedtls_rsa_import_raw(rsa, t->modulus.bytes, t->modulus.length, t->prime_1.bytes, t->prime_1.length,
                                   t->prime_2.bytes, t->prime_2.length, t->private_exponent.bytes,
                                   t->private_exponent.length, t->public_exponent.bytes, t->public_exponent.length);
        if (ret == 0) {
            ret = mbedtls_rsa_complete(rsa);
        }
        if (ret == 0) {
            ret = is_private ? mbedtls_rsa_check_privkey(rsa) : mbedtls_rsa_check_pubkey(rsa);
        }
        if (ret != 0 || mbedtls_pk_get_bitlen(&pk) != PKCS11_RSA_2048_BYTES * 8u) {
            rv = CKR_ATTRIBUTE_VALUE_INVALID;
        }
    }
    if (rv == CKR_OK) {
        rv = write_der(&pk, is_private, der, capacity, value, value_length);
    }
    mbedtls_pk_free(&pk);
    return rv;
}

CK_RV pkcs11_crypto_value_from_template(const pkcs11_template_t *t, uint8_t *der, size_t capacity,
                                        const uint8_t **value, size_t *value_length)
{
    if (t->object_class == CKO_CERTIFICATE) {
        CK_RV rv = check_certificate(&t->value);
        if (rv == CKR_OK) {
            *value = t->value.bytes;
            *value_length = t->value.length;
        }
        return rv;
    }
    if (t->key_type == CKK_EC) {
        return build_ec(t, der, capacity, value, value_length);
    }
    return build_rsa(t, der, capacity, value, value_length);
}

CK_RV pkcs11_crypto_generate_p256(uint8_t *private_der, size_t private_capacity, const uint8_t **private_value,
                                  size_t *private_length, uint8_t *public_der, size_t public_capacity,
                                  const uint8_t **public_value, size_t *public_length)
{
    mbedtls_pk_context pk;
    CK_RV rv = setup(&pk, MBEDTLS_PK_ECKEY);
    if (rv == CKR_OK &&
        mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(pk), pkcs11_crypto_rng, NULL) != 0) {
        rv = CKR_FUNCTION_FAILED;
    }
    if (rv == CKR_OK) {
        rv = write_der(&pk, 1, private_der, private_capacity, private_value, private_length);
    }
    if (rv == CKR_OK) {
        rv = write_der(&pk, 0, public_der, public_capacity, public_value, public_length);
    }
    mbedtls_pk_free(&pk);
    return rv;
}

int pkcs11_crypto_parse_key(mbedtls_pk_context *pk, const uint8_t *der, size_t length, int is_private)
{
    if (is_private) {
        return mbedtls_pk_parse_key(pk, der, length, NULL, 0);
    }
    return mbedtls_pk_parse_public_key(pk, der, length);
}

CK_KEY_TYPE pkcs11_crypto_key_type(const mbedtls_pk_context *pk)
{
    switch (mbedtls_pk_get_type(pk)) {
    case MBEDTLS_PK_ECKEY:
        return mbedtls_pk_ec(*pk)->grp.id == MBEDTLS_ECP_DP_SECP256R1 ? CKK_EC : CK_UNAVAILABLE_INFORMATION;
    case MBEDTLS_PK_RSA:
        return mbedtls_pk_get_bitlen(pk) == PKCS11_RSA_2048_BYTES * 8u ? CKK_RSA : CK_UNAVAILABLE_INFORMATION;
    default:
        return CK_UNAVAILABLE_INFORMATION;
    }
}

size_t pkcs11_crypto_signature_size(CK_MECHANISM_TYPE mechanism, CK_KEY_TYPE key_type)
{
    if (mechanism == CKM_ECDSA && key_type == CKK_EC) {
        return PKCS11_ECDSA_P256_SIGNATURE_SIZE;
    }
    if (mechanism == CKM_RSA_PKCS && key_type == CKK_RSA) {
        return PKCS11_RSA_2048_BYTES;
    }
    return 0;
}

static CK_RV sign_ecdsa(mbedtls_pk_context *pk, const uint8_t *hash, size_t length, uint8_t *signature)
{
    if (length != PKCS11_SHA256_SIZE) {
        return CKR_DATA_LEN_RANGE;
    }
    mbedtls_ecp_keypair *ec = mbedtls_pk_ec(*pk);
    mbedtls_mpi r, s;
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    /* RFC 6979 nonces: a weak random source cannot leak the key through a repeated nonce. */
    int ret =
        mbedtls_ecdsa_sign_det_ext(&ec->grp, &r, &s, &ec->d, hash, length, MBEDTLS_MD_SHA256, pkcs11_crypto_rng, NULL);
    if (ret == 0) {
        ret = mbedtls_mpi_write_binary(&r, signature, PKCS11_ECDSA_P256_SIGNATURE_SIZE / 2);
    }
    if (ret == 0) {
        ret = mbedtls_mpi_write_binary(&s, signature + PKCS11_ECDSA_P256_SIGNATURE_SIZE / 2,
                                       PKCS11_ECDSA_P256_SIGNATURE_SIZE / 2);
    }
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    return ret == 0 ? CKR_OK : CKR_FUNCTION_FAILED;
}

CK_RV pkcs11_crypto_sign(mbedtls_pk_context *pk, CK_MECHANISM_TYPE mechanism, const uint8_t *data, size_t length,
                         uint8_t *signature)
{
    if (mechanism == CKM_ECDSA) {
        return sign_ecdsa(pk, data, length, signature);
    }
    if (length > PKCS11_RSA_2048_BYTES - RSA_PKCS1_OVERHEAD) {
        return CKR_DATA_LEN_RANGE;
    }
    /* MBEDTLS_MD_NONE: the data is padded as given; for CKM_RSA_PKCS the caller passes a DigestInfo. */
    int ret = mbedtls_rsa_pkcs1_sign(mbedtls_pk_rsa(*pk), pkcs11_crypto_rng, NULL, MBEDTLS_RSA_PRIVATE, MBEDTLS_MD_NONE,
                                     (unsigned int)length, data, signature);
    return ret == 0 ? CKR_OK : CKR_FUNCTION_FAILED;
}

static CK_RV verify_ecdsa(mbedtls_pk_context *pk, const uint8_t *hash, size_t length, const uint8_t *signature)
{
    mbedtls_ecp_keypair *ec = mbedtls_pk_ec(*pk);
    mbedtls_mpi r, s;
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    int ret = mbedtls_mpi_read_binary(&r, signature, PKCS11_ECDSA_P256_SIGNATURE_SIZE / 2);
    if (ret == 0) {
        ret = mbedtls_mpi_read_binary(&s, signature + PKCS11_ECDSA_P256_SIGNATURE_SIZE / 2,
                                      PKCS11_ECDSA_P256_SIGNATURE_SIZE / 2);
    }
    if (ret == 0) {
        ret = mbedtls_ecdsa_verify(&ec->grp, hash, length, &ec->Q, &r, &s);
    }
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    return ret == 0 ? CKR_OK : CKR_SIGNATURE_INVALID;
}

CK_RV pkcs11_crypto_verify(mbedtls_pk_context *pk, CK_MECHANISM_TYPE mechanism, const uint8_t *data, size_t length,
                           const uint8_t *signature, size_t signature_length)
{
    if (mechanism == CKM_ECDSA) {
        if (length != PKCS11_SHA256_SIZE) {
            return CKR_DATA_LEN_RANGE;
        }
        if (signature_length != PKCS11_ECDSA_P256_SIGNATURE_SIZE) {
            return CKR_SIGNATURE_LEN_RANGE;
        }
        return verify_ecdsa(pk, data, length, signature);
    }
    if (length > PKCS11_RSA_2048_BYTES - RSA_PKCS1_OVERHEAD) {
        return CKR_DATA_LEN_RANGE;
    }
    if (signature_length != PKCS11_RSA_2048_BYTES) {
        return CKR_SIGNATURE_LEN_RANGE;
    }
    int ret = mbedtls_rsa_pkcs1_verify(mbedtls_pk_rsa(*pk), NULL, NULL, MBEDTLS_RSA_PUBLIC, MBEDTLS_MD_NONE,
                                       (unsigned int)length, data, signature);
    return ret == 0 ? CKR_OK : CKR_SIGNATURE_INVALID;
}
