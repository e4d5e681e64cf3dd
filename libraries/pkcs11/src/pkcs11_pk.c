/* Alder PKCS#11: mbedTLS key objects whose private operations are C_Sign calls on a token (pkcs11_pk.h).
 * It must never read, copy or log private key bytes: it holds a session, a handle and the public half only. */
#include "pkcs11_pk.h"

#include <string.h>

#include "mbedtls/asn1write.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/oid.h"
#include "mbedtls/pk_internal.h"
#include "mbedtls/platform.h"
#include "mbedtls/platform_util.h"
#include "mbedtls/rsa.h"

#define P256_BYTES 32u
#define P256_POINT_BYTES (1u + 2u * P256_BYTES) /* 0x04, X, Y */
#define RSA_MAX_BYTES 512u                      /* RSA-4096: larger moduli are refused */
/* A DigestInfo: two SEQUENCE headers, the algorithm OID and NULL, the OCTET STRING header, a hash of at most 64. */
#define DIGEST_INFO_MAX (2u + 2u + 2u + 16u + 2u + 2u + 64u)

/* The token side of a key: which module, session and object sign for it. */
struct token_key {
    CK_FUNCTION_LIST_PTR functions;
    CK_SESSION_HANDLE session;
    CK_OBJECT_HANDLE handle;
};

/* The public half comes first in each context: mbedtls_pk_ec() and mbedtls_pk_rsa() cast the context to it, and
 * the code that writes a public key (a CSR's) reads it through them. */
struct ec_key {
    mbedtls_ecp_keypair public_key;
    struct token_key token;
};

struct rsa_key {
    mbedtls_rsa_context public_key;
    struct token_key token;
};

/* ---- signing on the token -------------------------------------------------------------------- */

/* One single-part signature. The session's operation ends with C_Sign whatever it returns (the standard's rule). */
static int token_sign(const struct token_key *token, CK_MECHANISM_TYPE mechanism, const uint8_t *data, size_t length,
                      uint8_t *signature, CK_ULONG *signature_length)
{
    CK_MECHANISM chosen = {mechanism, NULL, 0};
    if (token->functions->C_SignInit(token->session, &chosen, token->handle) != CKR_OK) {
        return MBEDTLS_ERR_PK_HW_ACCEL_FAILED;
    }
    CK_RV rv =
        token->functions->C_Sign(token->session, (CK_BYTE_PTR)data, (CK_ULONG)length, signature, signature_length);
    return rv == CKR_OK ? 0 : MBEDTLS_ERR_PK_HW_ACCEL_FAILED;
}

/* ---- EC P-256 ------------------------------------------------------------------------------- */

static size_t ec_bitlen(const void *context)
{
    return ((const struct ec_key *)context)->public_key.grp.pbits;
}

/* Only ECDSA: the key cannot do ECDH, whose private operation the token does not offer. */
static int ec_can_do(mbedtls_pk_type_t type)
{
    return type == MBEDTLS_PK_ECKEY || type == MBEDTLS_PK_ECDSA;
}

static int ec_verify(void *context, mbedtls_md_type_t md_alg, const unsigned char *hash, size_t hash_length,
                     const unsigned char *signature, size_t signature_length)
{
    (void)md_alg;
    struct ec_key *key = context;
    int rc = mbedtls_ecdsa_read_signature(&key->public_key, hash, hash_length, signature, signature_length);
    return rc == MBEDTLS_ERR_ECP_SIG_LEN_MISMATCH ? MBEDTLS_ERR_PK_SIG_LEN_MISMATCH : rc;
}

/* ECDSA signs the hash as an integer cut to the order's 256 bits: a longer hash gives its leftmost 32 bytes, a
 * shorter one the same integer written in 32 bytes. The token's CKM_ECDSA takes exactly 32 (libraries/pkcs11/README). */
static void ec_hash_to_p256(const unsigned char *hash, size_t hash_length, uint8_t out[P256_BYTES])
{
    if (hash_length >= P256_BYTES) {
        memcpy(out, hash, P256_BYTES);
    } else {
        memset(out, 0, P256_BYTES - hash_length);
        memcpy(out + P256_BYTES - hash_length, hash, hash_length);
    }
}

/* SEQUENCE { INTEGER r, INTEGER s }, written backwards from the end of `buffer` as asn1write does; returns its
 * length (with *start at its first byte) or a negative mbedTLS error. */
static int ec_write_der(unsigned char *buffer, size_t size, const mbedtls_mpi *r, const mbedtls_mpi *s,
                        unsigned char **start)
{
    unsigned char *at = buffer + size;
    size_t len = 0;
    int ret = 0; /* MBEDTLS_ASN1_CHK_ADD's variable */
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_mpi(&at, buffer, s));
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_mpi(&at, buffer, r));
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(&at, buffer, len));
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_tag(&at, buffer, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
    *start = at;
    return (int)len;
}

/* The token gives r||s; TLS and X.509 want the DER form. */
static int ec_signature_to_der(const uint8_t raw[2 * P256_BYTES], unsigned char *out, size_t *out_length)
{
    unsigned char buffer[MBEDTLS_ECDSA_MAX_SIG_LEN(256)];
    unsigned char *start = NULL;
    mbedtls_mpi r, s;
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    int rc = mbedtls_mpi_read_binary(&r, raw, P256_BYTES);
    if (rc == 0) {
        rc = mbedtls_mpi_read_binary(&s, raw + P256_BYTES, P256_BYTES);
    }
    if (rc == 0) {
        rc = ec_write_der(buffer, sizeof buffer, &r, &s, &start);
    }
    if (rc > 0) {
        memcpy(out, start, (size_t)rc);
        *out_length = (size_t)rc;
        rc = 0;
    }
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    return rc;
}

static int ec_sign(void *context, mbedtls_md_type_t md_alg, const unsigned char *hash, size_t hash_length,
                   unsigned char *signature, size_t *signature_length, int (*f_rng)(void *, unsigned char *, size_t),
                   void *p_rng)
{
    (void)md_alg; /* the hash is already made; ECDSA needs no algorithm identifier */
    (void)f_rng;  /* the token draws its own randomness */
    (void)p_rng;
    struct ec_key *key = context;
    if (hash == NULL || hash_length == 0) {
        return MBEDTLS_ERR_PK_BAD_INPUT_DATA;
    }
    uint8_t digest[P256_BYTES];
    uint8_t raw[2 * P256_BYTES];
    CK_ULONG raw_length = sizeof raw;
    ec_hash_to_p256(hash, hash_length, digest);
    int rc = token_sign(&key->token, CKM_ECDSA, digest, sizeof digest, raw, &raw_length);
    if (rc == 0 && raw_length != sizeof raw) {
        rc = MBEDTLS_ERR_PK_HW_ACCEL_FAILED;
    }
    if (rc == 0) {
        rc = ec_signature_to_der(raw, signature, signature_length);
    }
    return rc;
}

static void *ec_alloc(void)
{
    struct ec_key *key = mbedtls_calloc(1, sizeof *key);
    if (key != NULL) {
        mbedtls_ecp_keypair_init(&key->public_key);
    }
    return key;
}

static void ec_free(void *context)
{
    struct ec_key *key = context;
    mbedtls_ecp_keypair_free(&key->public_key);
    mbedtls_platform_zeroize(key, sizeof *key);
    mbedtls_free(key);
}

static void ec_debug(const void *context, mbedtls_pk_debug_item *items)
{
    items->type = MBEDTLS_PK_DEBUG_ECP;
    items->name = "eckey.Q";
    items->value = (void *)&((const struct ec_key *)context)->public_key.Q; /* mbedTLS only reads it */
}

static const mbedtls_pk_info_t ec_token_info = {
    .type = MBEDTLS_PK_ECKEY,
    .name = "EC (PKCS#11 token)",
    .get_bitlen = ec_bitlen,
    .can_do = ec_can_do,
    .verify_func = ec_verify,
    .sign_func = ec_sign,
    .ctx_alloc_func = ec_alloc,
    .ctx_free_func = ec_free,
    .debug_func = ec_debug,
};

/* ---- RSA ------------------------------------------------------------------------------------ */

static size_t rsa_bitlen(const void *context)
{
    return mbedtls_rsa_get_len(&((const struct rsa_key *)context)->public_key) * 8u;
}

static int rsa_can_do(mbedtls_pk_type_t type)
{
    return type == MBEDTLS_PK_RSA;
}

static int rsa_verify(void *context, mbedtls_md_type_t md_alg, const unsigned char *hash, size_t hash_length,
                      const unsigned char *signature, size_t signature_length)
{
    struct rsa_key *key = context;
    if (hash_length > UINT32_MAX || signature_length < mbedtls_rsa_get_len(&key->public_key)) {
        return MBEDTLS_ERR_RSA_VERIFY_FAILED;
    }
    int rc = mbedtls_rsa_pkcs1_verify(&key->public_key, NULL, NULL, MBEDTLS_RSA_PUBLIC, md_alg,
                                      (unsigned int)hash_length, hash, signature);
    if (rc == 0 && signature_length > mbedtls_rsa_get_len(&key->public_key)) {
        return MBEDTLS_ERR_PK_SIG_LEN_MISMATCH;
    }
    return rc;
}

/* DigestInfo ::= SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING hash }: what CKM_RSA_PKCS pads and signs. With no
 * algorithm (MBEDTLS_MD_NONE) the caller's bytes are signed as they are, as mbedTLS's own RSA does. */
static int rsa_digest_info(mbedtls_md_type_t md_alg, const unsigned char *hash, size_t hash_length, uint8_t *out,
                           size_t *out_length)
{
    if (md_alg == MBEDTLS_MD_NONE) {
        if (hash_length > DIGEST_INFO_MAX) {
            return MBEDTLS_ERR_PK_BAD_INPUT_DATA;
        }
        memcpy(out, hash, hash_length);
        *out_length = hash_length;
        return 0;
    }
    const char *oid = NULL;
    size_t oid_length = 0;
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(md_alg);
    if (md == NULL || mbedtls_oid_get_oid_by_md(md_alg, &oid, &oid_length) != 0 || oid_length > 16 ||
        hash_length != mbedtls_md_get_size(md)) {
        return MBEDTLS_ERR_PK_BAD_INPUT_DATA;
    }
    size_t at = 0;
    out[at++] = MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE;
    out[at++] = (uint8_t)(2u + (2u + oid_length + 2u) + 2u + hash_length); /* the algorithm, then the hash */
    out[at++] = MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE;
    out[at++] = (uint8_t)(2u + oid_length + 2u); /* the OID, then NULL */
    out[at++] = MBEDTLS_ASN1_OID;
    out[at++] = (uint8_t)oid_length;
    memcpy(out + at, oid, oid_length);
    at += oid_length;
    out[at++] = MBEDTLS_ASN1_NULL;
    out[at++] = 0;
    out[at++] = MBEDTLS_ASN1_OCTET_STRING;
    out[at++] = (uint8_t)hash_length;
    memcpy(out + at, hash, hash_length);
    *out_length = at + hash_length;
    return 0;
}

static int rsa_sign(void *context, mbedtls_md_type_t md_alg, const unsigned char *hash, size_t hash_length,
                    unsigned char *signature, size_t *signature_length, int (*f_rng)(void *, unsigned char *, size_t),
                    void *p_rng)
{
    (void)f_rng; /* PKCS#1 v1.5 signing needs no randomness; the token blinds on its own */
    (void)p_rng;
    struct rsa_key *key = context;
    uint8_t digest_info[DIGEST_INFO_MAX];
    size_t digest_info_length = 0;
    if (hash == NULL || rsa_digest_info(md_alg, hash, hash_length, digest_info, &digest_info_length) != 0) {
        return MBEDTLS_ERR_PK_BAD_INPUT_DATA;
    }
    /* mbedtls_pk_sign's contract: the caller's buffer holds MBEDTLS_PK_SIGNATURE_MAX_SIZE, which fits the modulus. */
    CK_ULONG length = (CK_ULONG)mbedtls_rsa_get_len(&key->public_key);
    int rc = token_sign(&key->token, CKM_RSA_PKCS, digest_info, digest_info_length, signature, &length);
    if (rc == 0 && length != mbedtls_rsa_get_len(&key->public_key)) {
        rc = MBEDTLS_ERR_PK_HW_ACCEL_FAILED;
    }
    if (rc == 0) {
        *signature_length = length;
    }
    return rc;
}

static void *rsa_alloc(void)
{
    struct rsa_key *key = mbedtls_calloc(1, sizeof *key);
    if (key != NULL) {
        mbedtls_rsa_init(&key->public_key, MBEDTLS_RSA_PKCS_V15, 0);
    }
    return key;
}

static void rsa_free(void *context)
{
    struct rsa_key *key = context;
    mbedtls_rsa_free(&key->public_key);
    mbedtls_platform_zeroize(key, sizeof *key);
    mbedtls_free(key);
}

static void rsa_debug(const void *context, mbedtls_pk_debug_item *items)
{
    const struct rsa_key *key = context;
    items[0].type = MBEDTLS_PK_DEBUG_MPI;
    items[0].name = "rsa.N";
    items[0].value = (void *)&key->public_key.N;
    items[1].type = MBEDTLS_PK_DEBUG_MPI;
    items[1].name = "rsa.E";
    items[1].value = (void *)&key->public_key.E;
}

static const mbedtls_pk_info_t rsa_token_info = {
    .type = MBEDTLS_PK_RSA,
    .name = "RSA (PKCS#11 token)",
    .get_bitlen = rsa_bitlen,
    .can_do = rsa_can_do,
    .verify_func = rsa_verify,
    .sign_func = rsa_sign,
    .ctx_alloc_func = rsa_alloc,
    .ctx_free_func = rsa_free,
    .debug_func = rsa_debug,
};

/* ---- setup ---------------------------------------------------------------------------------- */

static int copy_ec_public(struct ec_key *key, const mbedtls_ecp_keypair *from)
{
    if (from->grp.id != MBEDTLS_ECP_DP_SECP256R1) {
        return MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE;
    }
    int rc = mbedtls_ecp_group_load(&key->public_key.grp, MBEDTLS_ECP_DP_SECP256R1);
    return rc == 0 ? mbedtls_ecp_copy(&key->public_key.Q, &from->Q) : MBEDTLS_ERR_PK_ALLOC_FAILED;
}

static int copy_rsa_public(struct rsa_key *key, const mbedtls_rsa_context *from)
{
    if (mbedtls_rsa_get_len(from) > RSA_MAX_BYTES) {
        return MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE;
    }
    int rc = mbedtls_rsa_import(&key->public_key, &from->N, NULL, NULL, NULL, &from->E);
    if (rc == 0) {
        rc = mbedtls_rsa_complete(&key->public_key);
    }
    return rc == 0 ? 0 : MBEDTLS_ERR_PK_INVALID_PUBKEY;
}

int pkcs11_pk_setup(mbedtls_pk_context *pk, CK_FUNCTION_LIST_PTR functions, CK_SESSION_HANDLE session,
                    CK_OBJECT_HANDLE private_key, const mbedtls_pk_context *public_key)
{
    if (pk == NULL || functions == NULL || public_key == NULL || mbedtls_pk_get_type(public_key) == MBEDTLS_PK_NONE) {
        return MBEDTLS_ERR_PK_BAD_INPUT_DATA;
    }
    mbedtls_pk_type_t type = mbedtls_pk_get_type(public_key);
    const mbedtls_pk_info_t *info = NULL;
    if (type == MBEDTLS_PK_ECKEY || type == MBEDTLS_PK_ECDSA) {
        info = &ec_token_info;
    } else if (type == MBEDTLS_PK_RSA) {
        info = &rsa_token_info;
    } else {
        return MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE;
    }
    int rc = mbedtls_pk_setup(pk, info);
    if (rc != 0) {
        return rc;
    }
    struct token_key token = {functions, session, private_key};
    if (info == &ec_token_info) {
        struct ec_key *key = pk->pk_ctx;
        key->token = token;
        rc = copy_ec_public(key, mbedtls_pk_ec(*public_key));
    } else {
        struct rsa_key *key = pk->pk_ctx;
        key->token = token;
        rc = copy_rsa_public(key, mbedtls_pk_rsa(*public_key));
    }
    if (rc != 0) {
        mbedtls_pk_free(pk);
    }
    return rc;
}

/* ---- public keys from the token ------------------------------------------------------------- */

/* Reads one attribute into `value` (room for *length bytes; *length becomes its size). */
static int read_attribute(CK_FUNCTION_LIST_PTR functions, CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object,
                          CK_ATTRIBUTE_TYPE type, void *value, CK_ULONG *length)
{
    CK_ATTRIBUTE attribute = {type, value, *length};
    if (functions->C_GetAttributeValue(session, object, &attribute, 1) != CKR_OK) {
        return MBEDTLS_ERR_PK_FILE_IO_ERROR;
    }
    *length = attribute.ulValueLen;
    return 0;
}

static int load_ec_public(mbedtls_pk_context *pk, CK_FUNCTION_LIST_PTR functions, CK_SESSION_HANDLE session,
                          CK_OBJECT_HANDLE object)
{
    static const uint8_t p256_oid_der[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
    uint8_t parameters[32];
    uint8_t point[P256_POINT_BYTES + 2];
    CK_ULONG parameters_length = sizeof parameters;
    CK_ULONG point_length = sizeof point;
    int rc = read_attribute(functions, session, object, CKA_EC_PARAMS, parameters, &parameters_length);
    if (rc == 0) {
        rc = read_attribute(functions, session, object, CKA_EC_POINT, point, &point_length);
    }
    if (rc != 0) {
        return rc;
    }
    if (parameters_length != sizeof p256_oid_der || memcmp(parameters, p256_oid_der, sizeof p256_oid_der) != 0) {
        return MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE;
    }
    /* The standard's form is the DER OCTET STRING around the point. */
    if (point_length != sizeof point || point[0] != MBEDTLS_ASN1_OCTET_STRING || point[1] != P256_POINT_BYTES) {
        return MBEDTLS_ERR_PK_INVALID_PUBKEY;
    }
    rc = mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
    if (rc != 0) {
        return rc;
    }
    mbedtls_ecp_keypair *ec = mbedtls_pk_ec(*pk);
    if (mbedtls_ecp_group_load(&ec->grp, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
        mbedtls_ecp_point_read_binary(&ec->grp, &ec->Q, point + 2, P256_POINT_BYTES) != 0 ||
        mbedtls_ecp_check_pubkey(&ec->grp, &ec->Q) != 0) {
        return MBEDTLS_ERR_PK_INVALID_PUBKEY;
    }
    return 0;
}

static int load_rsa_public(mbedtls_pk_context *pk, CK_FUNCTION_LIST_PTR functions, CK_SESSION_HANDLE session,
                           CK_OBJECT_HANDLE object)
{
    uint8_t modulus[RSA_MAX_BYTES];
    uint8_t exponent[8];
    CK_ULONG modulus_length = sizeof modulus;
    CK_ULONG exponent_length = sizeof exponent;
    int rc = read_attribute(functions, session, object, CKA_MODULUS, modulus, &modulus_length);
    if (rc == 0) {
        rc = read_attribute(functions, session, object, CKA_PUBLIC_EXPONENT, exponent, &exponent_length);
    }
    if (rc != 0) {
        return rc;
    }
    rc = mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA));
    if (rc != 0) {
        return rc;
    }
    mbedtls_rsa_context *rsa = mbedtls_pk_rsa(*pk);
    if (mbedtls_rsa_import_raw(rsa, modulus, modulus_length, NULL, 0, NULL, 0, NULL, 0, exponent, exponent_length) !=
            0 ||
        mbedtls_rsa_complete(rsa) != 0 || mbedtls_rsa_check_pubkey(rsa) != 0) {
        return MBEDTLS_ERR_PK_INVALID_PUBKEY;
    }
    return 0;
}

int pkcs11_pk_load_public(mbedtls_pk_context *pk, CK_FUNCTION_LIST_PTR functions, CK_SESSION_HANDLE session,
                          CK_OBJECT_HANDLE public_key)
{
    if (pk == NULL || functions == NULL) {
        return MBEDTLS_ERR_PK_BAD_INPUT_DATA;
    }
    CK_KEY_TYPE key_type = 0;
    CK_ULONG length = sizeof key_type;
    int rc = read_attribute(functions, session, public_key, CKA_KEY_TYPE, &key_type, &length);
    if (rc == 0 && length != sizeof key_type) {
        rc = MBEDTLS_ERR_PK_FILE_IO_ERROR;
    }
    if (rc == 0) {
        if (key_type == CKK_EC) {
            rc = load_ec_public(pk, functions, session, public_key);
        } else if (key_type == CKK_RSA) {
            rc = load_rsa_public(pk, functions, session, public_key);
        } else {
            rc = MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE;
        }
    }
    if (rc != 0) {
        mbedtls_pk_free(pk);
    }
    return rc;
}

/* ---- comparing public halves ---------------------------------------------------------------- */

/* Both kinds of key keep the public half where mbedtls_pk_ec() and mbedtls_pk_rsa() look (see struct ec_key), so
 * a token key and an ordinary one compare alike. */
int pkcs11_pk_same_public(const mbedtls_pk_context *a, const mbedtls_pk_context *b)
{
    if (a == NULL || b == NULL || mbedtls_pk_get_type(a) != mbedtls_pk_get_type(b)) {
        return 0;
    }
    if (mbedtls_pk_get_type(a) == MBEDTLS_PK_ECKEY) {
        const mbedtls_ecp_keypair *ec_a = mbedtls_pk_ec(*a);
        const mbedtls_ecp_keypair *ec_b = mbedtls_pk_ec(*b);
        return ec_a->grp.id == ec_b->grp.id && ec_a->grp.id != MBEDTLS_ECP_DP_NONE &&
               mbedtls_ecp_point_cmp(&ec_a->Q, &ec_b->Q) == 0;
    }
    if (mbedtls_pk_get_type(a) == MBEDTLS_PK_RSA) {
        const mbedtls_rsa_context *rsa_a = mbedtls_pk_rsa(*a);
        const mbedtls_rsa_context *rsa_b = mbedtls_pk_rsa(*b);
        return mbedtls_mpi_cmp_mpi(&rsa_a->N, &rsa_b->N) == 0 && mbedtls_mpi_cmp_mpi(&rsa_a->E, &rsa_b->E) == 0;
    }
    return 0;
}
