/* Alder PKCS#11 provisioning (pkcs11_provision.h): keys and certificates into a token through its function list, key
 * generation in the token, and a CSR the token signs. It must never leave a private key's bytes in a buffer it filled,
 * nor report them: each such buffer is wiped on every path out of the function that filled it. */
#include "pkcs11_provision.h"

#include <string.h>

#include "mbedtls/asn1.h"
#include "mbedtls/base64.h"
#include "mbedtls/md.h"
#include "mbedtls/pem.h"
#include "mbedtls/pk.h"
#include "mbedtls/platform.h"
#include "mbedtls/platform_util.h"
#include "mbedtls/rsa.h"
#include "mbedtls/x509_crt.h"
#include "mbedtls/x509_csr.h"
#include "pkcs11_client.h"
#include "pkcs11_pal.h"
#include "pkcs11_pk.h"

#define P256_BYTES 32u
#define P256_POINT_BYTES (1u + 2u * P256_BYTES) /* 0x04, X, Y */
#define RSA_BITS 2048u
#define RSA_PART_BYTES 256u /* the largest part of an RSA-2048 key: the modulus, the private exponent */
#define RSA_PARTS 8u
/* Objects of one class under one label that a replace looks at: this library never leaves more than one, so more
 * than a few means a store someone else filled; those beyond this many are left alone. */
#define MAX_DUPLICATES 8u

static const uint8_t p256_oid_der[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
static const CK_BBOOL ck_true = CK_TRUE;
static const CK_BBOOL ck_false = CK_FALSE;

/* ---- status names ----------------------------------------------------------------------------- */

static const struct {
    const char *name;
    const char *text;
} status_table[] = {
    [PKCS11_PROVISION_OK] = {"PKCS11_PROVISION_OK", "done"},
    [PKCS11_PROVISION_BAD_ARGUMENT] = {"PKCS11_PROVISION_BAD_ARGUMENT",
                                       "bad argument (a missing value, an empty label, or PEM without its NUL)"},
    [PKCS11_PROVISION_BAD_ENCODING] = {"PKCS11_PROVISION_BAD_ENCODING", "not PEM or DER that parses"},
    [PKCS11_PROVISION_KEY_ENCRYPTED] = {"PKCS11_PROVISION_KEY_ENCRYPTED", "the key is encrypted; decrypt it first"},
    [PKCS11_PROVISION_UNSUPPORTED_KEY] = {"PKCS11_PROVISION_UNSUPPORTED_KEY",
                                          "the key is neither EC P-256 nor RSA-2048"},
    [PKCS11_PROVISION_SEVERAL_CERTIFICATES] = {"PKCS11_PROVISION_SEVERAL_CERTIFICATES",
                                               "more than one certificate; give the device's own alone"},
    [PKCS11_PROVISION_KEY_MISMATCH] = {"PKCS11_PROVISION_KEY_MISMATCH", "the certificate is not for this key"},
    [PKCS11_PROVISION_NOT_FOUND] = {"PKCS11_PROVISION_NOT_FOUND", "no such object in the token"},
    [PKCS11_PROVISION_BAD_SUBJECT] = {"PKCS11_PROVISION_BAD_SUBJECT",
                                      "bad subject (expected names like \"CN=thing-1,O=Acme\")"},
    [PKCS11_PROVISION_BUFFER_TOO_SMALL] = {"PKCS11_PROVISION_BUFFER_TOO_SMALL", "the output buffer is too small"},
    [PKCS11_PROVISION_NO_TOKEN] = {"PKCS11_PROVISION_NO_TOKEN", "no token present"},
    [PKCS11_PROVISION_PIN_INCORRECT] = {"PKCS11_PROVISION_PIN_INCORRECT", "the token refused the PIN"},
    [PKCS11_PROVISION_SIGN_FAILED] = {"PKCS11_PROVISION_SIGN_FAILED", "the token refused to sign"},
    [PKCS11_PROVISION_TOKEN_ERROR] = {"PKCS11_PROVISION_TOKEN_ERROR", "the token refused the operation"},
    [PKCS11_PROVISION_CRYPTO_ERROR] = {"PKCS11_PROVISION_CRYPTO_ERROR", "mbedTLS failed (out of memory?)"},
};

#define STATUS_COUNT (sizeof status_table / sizeof status_table[0])

const char *pkcs11_provision_status_name(pkcs11_provision_status_t status)
{
    return (size_t)status < STATUS_COUNT ? status_table[status].name : "PKCS11_PROVISION_(unknown)";
}

const char *pkcs11_provision_status_text(pkcs11_provision_status_t status)
{
    return (size_t)status < STATUS_COUNT ? status_table[status].text : "unknown status";
}

/* ---- small helpers ---------------------------------------------------------------------------- */

static pkcs11_provision_status_t token_error(pkcs11_provision_t *provision, CK_RV rv)
{
    provision->last_rv = rv;
    return PKCS11_PROVISION_TOKEN_ERROR;
}

static pkcs11_provision_status_t crypto_error(pkcs11_provision_t *provision, int error)
{
    provision->last_mbedtls_error = error;
    return PKCS11_PROVISION_CRYPTO_ERROR;
}

/* mbedTLS adds a low-level code (ASN.1, base64) to a high-level one (PK, X509); the high part names the failure. */
static int high_level(int error)
{
    return -((-error) & 0xFF80);
}

static bool is_open(const pkcs11_provision_t *provision)
{
    return provision != NULL && provision->functions != NULL && provision->session != CK_INVALID_HANDLE &&
           provision->key_label != NULL && provision->key_label[0] != '\0';
}

/* Starts a call: the context usable, the last codes cleared. */
static pkcs11_provision_status_t begin(pkcs11_provision_t *provision)
{
    if (!is_open(provision)) {
        return PKCS11_PROVISION_BAD_ARGUMENT;
    }
    provision->last_rv = CKR_OK;
    provision->last_mbedtls_error = 0;
    return PKCS11_PROVISION_OK;
}

static bool separate_public_label(const pkcs11_provision_t *provision)
{
    return provision->public_key_label != NULL && provision->public_key_label[0] != '\0' &&
           strcmp(provision->public_key_label, provision->key_label) != 0;
}

/* mbedTLS reads PEM only when the NUL is inside the length; without it the text would be "not DER", which misleads. */
static bool input_usable(const uint8_t *bytes, size_t length)
{
    static const char pem_start[] = "-----BEGIN";
    if (bytes == NULL || length == 0) {
        return false;
    }
    bool pem = length >= sizeof pem_start - 1 && memcmp(bytes, pem_start, sizeof pem_start - 1) == 0;
    return !pem || bytes[length - 1] == '\0';
}

static CK_ATTRIBUTE attribute(CK_ATTRIBUTE_TYPE type, const void *value, size_t length)
{
    CK_ATTRIBUTE a = {type, (CK_VOID_PTR)value, (CK_ULONG)length};
    return a;
}

static CK_ATTRIBUTE label_attribute(const char *label)
{
    return attribute(CKA_LABEL, label, strlen(label));
}

/* ---- finding and replacing objects ------------------------------------------------------------ */

/* The one object of a class under a label: NOT_FOUND when there is none. */
static pkcs11_provision_status_t find_one(pkcs11_provision_t *provision, CK_OBJECT_CLASS object_class,
                                          const char *label, CK_OBJECT_HANDLE *object)
{
    CK_ULONG count = 0;
    CK_RV rv = pkcs11_find_objects(provision->functions, provision->session, object_class, label, object, 1, &count);
    if (rv != CKR_OK) {
        return token_error(provision, rv);
    }
    return count == 1 ? PKCS11_PROVISION_OK : PKCS11_PROVISION_NOT_FOUND;
}

/* Alder's module replaces an object when one of the same class is created under its label; other modules add a
 * second one. Removing every other copy makes the label hold exactly the new object on any module. */
static pkcs11_provision_status_t remove_others(pkcs11_provision_t *provision, CK_OBJECT_CLASS object_class,
                                               const char *label, CK_OBJECT_HANDLE keep)
{
    CK_OBJECT_HANDLE found[MAX_DUPLICATES];
    CK_ULONG count = 0;
    CK_RV rv = pkcs11_find_objects(provision->functions, provision->session, object_class, label, found, MAX_DUPLICATES,
                                   &count);
    for (CK_ULONG i = 0; rv == CKR_OK && i < count; i++) {
        if (found[i] != keep) {
            rv = provision->functions->C_DestroyObject(provision->session, found[i]);
        }
    }
    return rv == CKR_OK ? PKCS11_PROVISION_OK : token_error(provision, rv);
}

static pkcs11_provision_status_t create_object(pkcs11_provision_t *provision, CK_ATTRIBUTE *template, CK_ULONG count,
                                               CK_OBJECT_CLASS object_class, const char *label)
{
    CK_OBJECT_HANDLE object = CK_INVALID_HANDLE;
    CK_RV rv = provision->functions->C_CreateObject(provision->session, template, count, &object);
    if (rv != CKR_OK) {
        return token_error(provision, rv);
    }
    return remove_others(provision, object_class, label, object);
}

/* ---- the session ------------------------------------------------------------------------------ */

static void set_defaults(pkcs11_provision_t *provision, CK_FUNCTION_LIST_PTR functions)
{
    memset(provision, 0, sizeof *provision);
    provision->functions = functions;
    provision->session = CK_INVALID_HANDLE;
    provision->key_label = PKCS11_LABEL_DEVICE_PRIVATE_KEY;
    provision->public_key_label = PKCS11_LABEL_DEVICE_PUBLIC_KEY;
}

static pkcs11_provision_status_t first_token_slot(pkcs11_provision_t *provision, CK_SLOT_ID *slot)
{
    CK_SLOT_ID slots[16];
    CK_ULONG count = sizeof slots / sizeof slots[0];
    CK_RV rv = provision->functions->C_GetSlotList(CK_TRUE, slots, &count);
    if (rv != CKR_OK) {
        return token_error(provision, rv);
    }
    if (count == 0) {
        return PKCS11_PROVISION_NO_TOKEN;
    }
    *slot = slots[0];
    return PKCS11_PROVISION_OK;
}

static pkcs11_provision_status_t login(pkcs11_provision_t *provision, const char *pin)
{
    CK_RV rv = provision->functions->C_Login(provision->session, CKU_USER, (CK_UTF8CHAR_PTR)pin, (CK_ULONG)strlen(pin));
    if (rv == CKR_OK) {
        provision->logged_in_here = true;
        return PKCS11_PROVISION_OK;
    }
    if (rv == CKR_USER_ALREADY_LOGGED_IN) {
        return PKCS11_PROVISION_OK;
    }
    provision->last_rv = rv;
    return (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_LEN_RANGE) ? PKCS11_PROVISION_PIN_INCORRECT
                                                                : PKCS11_PROVISION_TOKEN_ERROR;
}

pkcs11_provision_status_t pkcs11_provision_open(pkcs11_provision_t *provision, CK_FUNCTION_LIST_PTR functions,
                                                const char *pin)
{
    if (provision == NULL || functions == NULL || pin == NULL) {
        return PKCS11_PROVISION_BAD_ARGUMENT;
    }
    set_defaults(provision, functions);
    CK_C_INITIALIZE_ARGS args = {NULL, NULL, NULL, NULL, CKF_OS_LOCKING_OK, NULL};
    CK_RV rv = functions->C_Initialize(&args);
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        return token_error(provision, rv);
    }
    provision->initialized_here = rv == CKR_OK;
    CK_SLOT_ID slot = 0;
    pkcs11_provision_status_t status = first_token_slot(provision, &slot);
    if (status == PKCS11_PROVISION_OK) {
        rv = functions->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &provision->session);
        provision->session_opened_here = rv == CKR_OK;
        status = rv == CKR_OK ? PKCS11_PROVISION_OK : token_error(provision, rv);
    }
    if (status == PKCS11_PROVISION_OK) {
        status = login(provision, pin);
    }
    if (status != PKCS11_PROVISION_OK) {
        CK_RV reason = provision->last_rv;
        pkcs11_provision_close(provision);
        provision->last_rv = reason;
    }
    return status;
}

pkcs11_provision_status_t pkcs11_provision_attach(pkcs11_provision_t *provision, CK_FUNCTION_LIST_PTR functions,
                                                  CK_SESSION_HANDLE session)
{
    if (provision == NULL || functions == NULL || session == CK_INVALID_HANDLE) {
        return PKCS11_PROVISION_BAD_ARGUMENT;
    }
    set_defaults(provision, functions);
    provision->session = session;
    return PKCS11_PROVISION_OK;
}

void pkcs11_provision_close(pkcs11_provision_t *provision)
{
    if (provision == NULL || provision->functions == NULL) {
        return;
    }
    CK_FUNCTION_LIST_PTR f = provision->functions;
    if (provision->logged_in_here) {
        (void)f->C_Logout(provision->session);
    }
    if (provision->session_opened_here) {
        (void)f->C_CloseSession(provision->session);
    }
    if (provision->initialized_here) {
        (void)f->C_Finalize(NULL);
    }
    provision->logged_in_here = false;
    provision->session_opened_here = false;
    provision->initialized_here = false;
    provision->session = CK_INVALID_HANDLE;
}

/* ---- keys --------------------------------------------------------------------------------------- */

static const CK_OBJECT_CLASS class_private = CKO_PRIVATE_KEY;
static const CK_OBJECT_CLASS class_public = CKO_PUBLIC_KEY;
static const CK_OBJECT_CLASS class_certificate = CKO_CERTIFICATE;
static const CK_KEY_TYPE key_type_ec = CKK_EC;
static const CK_KEY_TYPE key_type_rsa = CKK_RSA;
static const CK_CERTIFICATE_TYPE certificate_x509 = CKC_X_509;

/* The attributes every private key gets: the module would refuse a key that asked to be readable. */
#define PRIVATE_KEY_COMMON 8u
static void private_key_common(CK_ATTRIBUTE *t, const CK_KEY_TYPE *key_type, const char *label)
{
    t[0] = attribute(CKA_CLASS, &class_private, sizeof class_private);
    t[1] = attribute(CKA_KEY_TYPE, key_type, sizeof *key_type);
    t[2] = attribute(CKA_TOKEN, &ck_true, sizeof ck_true);
    t[3] = label_attribute(label);
    t[4] = attribute(CKA_PRIVATE, &ck_true, sizeof ck_true);
    t[5] = attribute(CKA_SENSITIVE, &ck_true, sizeof ck_true);
    t[6] = attribute(CKA_EXTRACTABLE, &ck_false, sizeof ck_false);
    t[7] = attribute(CKA_SIGN, &ck_true, sizeof ck_true);
}

static bool supported_key(const mbedtls_pk_context *pk)
{
    mbedtls_pk_type_t type = mbedtls_pk_get_type(pk);
    if (type == MBEDTLS_PK_ECKEY) {
        return mbedtls_pk_ec(*pk)->grp.id == MBEDTLS_ECP_DP_SECP256R1;
    }
    return type == MBEDTLS_PK_RSA && mbedtls_pk_get_bitlen(pk) == RSA_BITS;
}

static pkcs11_provision_status_t key_parse_status(int error)
{
    switch (high_level(error)) {
    case 0:
        return PKCS11_PROVISION_OK;
    case MBEDTLS_ERR_PK_PASSWORD_REQUIRED:
    case MBEDTLS_ERR_PK_PASSWORD_MISMATCH:
    case MBEDTLS_ERR_PEM_PASSWORD_REQUIRED:
    case MBEDTLS_ERR_PEM_PASSWORD_MISMATCH:
    case MBEDTLS_ERR_PEM_UNKNOWN_ENC_ALG:
        return PKCS11_PROVISION_KEY_ENCRYPTED;
    case MBEDTLS_ERR_PK_UNKNOWN_PK_ALG:
    case MBEDTLS_ERR_PK_UNKNOWN_NAMED_CURVE:
    case MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE:
        return PKCS11_PROVISION_UNSUPPORTED_KEY;
    case MBEDTLS_ERR_PK_ALLOC_FAILED:
    case MBEDTLS_ERR_PEM_ALLOC_FAILED:
        return PKCS11_PROVISION_CRYPTO_ERROR;
    default:
        return PKCS11_PROVISION_BAD_ENCODING;
    }
}

/* A private key from PEM or DER into `pk` (initialised), if it is one the module takes. */
static pkcs11_provision_status_t parse_key(const uint8_t *key, size_t length, mbedtls_pk_context *pk, int *error)
{
    *error = 0;
    if (!input_usable(key, length)) {
        return PKCS11_PROVISION_BAD_ARGUMENT;
    }
    *error = mbedtls_pk_parse_key(pk, key, length, NULL, 0);
    pkcs11_provision_status_t status = key_parse_status(*error);
    if (status == PKCS11_PROVISION_OK && !supported_key(pk)) {
        status = PKCS11_PROVISION_UNSUPPORTED_KEY;
    }
    return status;
}

/* An integer as the standard's big-endian bytes, without leading zeros (some modules refuse them). */
static int write_integer(const mbedtls_mpi *value, uint8_t *out, size_t size, size_t *length)
{
    size_t needed = mbedtls_mpi_size(value);
    if (needed == 0 || needed > size) {
        return MBEDTLS_ERR_PK_KEY_INVALID_FORMAT;
    }
    *length = needed;
    return mbedtls_mpi_write_binary(value, out, needed);
}

static pkcs11_provision_status_t store_ec_private(pkcs11_provision_t *provision, const mbedtls_pk_context *pk)
{
    uint8_t d[P256_BYTES];
    pkcs11_provision_status_t status = PKCS11_PROVISION_OK;
    /* The standard's CKA_VALUE for an EC key is d in exactly the order's length. */
    int rc = mbedtls_mpi_write_binary(&mbedtls_pk_ec(*pk)->d, d, sizeof d);
    if (rc != 0) {
        status = crypto_error(provision, rc);
    } else {
        CK_ATTRIBUTE t[PRIVATE_KEY_COMMON + 2];
        private_key_common(t, &key_type_ec, provision->key_label);
        t[PRIVATE_KEY_COMMON] = attribute(CKA_EC_PARAMS, p256_oid_der, sizeof p256_oid_der);
        t[PRIVATE_KEY_COMMON + 1] = attribute(CKA_VALUE, d, sizeof d);
        status = create_object(provision, t, PRIVATE_KEY_COMMON + 2, CKO_PRIVATE_KEY, provision->key_label);
    }
    mbedtls_platform_zeroize(d, sizeof d);
    return status;
}

/* An RSA key's eight parts in the standard's attribute order, for C_CreateObject. On the heap: 2 KB of stack in an
 * RTOS task is more than provisioning should ask for. */
struct rsa_parts {
    uint8_t bytes[RSA_PARTS][RSA_PART_BYTES];
    size_t length[RSA_PARTS];
};

static const CK_ATTRIBUTE_TYPE rsa_part_types[RSA_PARTS] = {
    CKA_MODULUS, CKA_PUBLIC_EXPONENT, CKA_PRIVATE_EXPONENT, CKA_PRIME_1,
    CKA_PRIME_2, CKA_EXPONENT_1,      CKA_EXPONENT_2,       CKA_COEFFICIENT,
};

static int export_rsa_parts(const mbedtls_rsa_context *rsa, struct rsa_parts *parts)
{
    mbedtls_mpi part[RSA_PARTS];
    for (size_t i = 0; i < RSA_PARTS; i++) {
        mbedtls_mpi_init(&part[i]);
    }
    int rc = mbedtls_rsa_export(rsa, &part[0], &part[3], &part[4], &part[2], &part[1]);
    if (rc == 0) {
        rc = mbedtls_rsa_export_crt(rsa, &part[5], &part[6], &part[7]);
    }
    for (size_t i = 0; rc == 0 && i < RSA_PARTS; i++) {
        rc = write_integer(&part[i], parts->bytes[i], RSA_PART_BYTES, &parts->length[i]);
    }
    for (size_t i = 0; i < RSA_PARTS; i++) {
        mbedtls_mpi_free(&part[i]); /* zeroizes the limbs */
    }
    return rc;
}

static pkcs11_provision_status_t store_rsa_private(pkcs11_provision_t *provision, const mbedtls_pk_context *pk)
{
    struct rsa_parts *parts = mbedtls_calloc(1, sizeof *parts);
    if (parts == NULL) {
        return crypto_error(provision, MBEDTLS_ERR_PK_ALLOC_FAILED);
    }
    pkcs11_provision_status_t status = PKCS11_PROVISION_OK;
    int rc = export_rsa_parts(mbedtls_pk_rsa(*pk), parts);
    if (rc != 0) {
        status = crypto_error(provision, rc);
    } else {
        CK_ATTRIBUTE t[PRIVATE_KEY_COMMON + RSA_PARTS];
        private_key_common(t, &key_type_rsa, provision->key_label);
        for (size_t i = 0; i < RSA_PARTS; i++) {
            t[PRIVATE_KEY_COMMON + i] = attribute(rsa_part_types[i], parts->bytes[i], parts->length[i]);
        }
        status = create_object(provision, t, PRIVATE_KEY_COMMON + RSA_PARTS, CKO_PRIVATE_KEY, provision->key_label);
    }
    mbedtls_platform_zeroize(parts, sizeof *parts);
    mbedtls_free(parts);
    return status;
}

/* The public half as its own object: the EC point in the standard's DER OCTET STRING, or modulus and exponent. */
static pkcs11_provision_status_t store_public(pkcs11_provision_t *provision, const mbedtls_pk_context *pk)
{
    const char *label = provision->public_key_label;
    CK_ATTRIBUTE t[7] = {attribute(CKA_CLASS, &class_public, sizeof class_public),
                         attribute(CKA_TOKEN, &ck_true, sizeof ck_true), label_attribute(label),
                         attribute(CKA_VERIFY, &ck_true, sizeof ck_true)};
    uint8_t point[2 + P256_POINT_BYTES] = {0x04, P256_POINT_BYTES}; /* OCTET STRING, its length */
    uint8_t modulus[RSA_PART_BYTES], exponent[8];
    size_t point_length = 0, modulus_length = 0, exponent_length = 0;
    int rc = 0;
    if (mbedtls_pk_get_type(pk) == MBEDTLS_PK_ECKEY) {
        const mbedtls_ecp_keypair *ec = mbedtls_pk_ec(*pk);
        rc = mbedtls_ecp_point_write_binary(&ec->grp, &ec->Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &point_length, point + 2,
                                            P256_POINT_BYTES);
        t[4] = attribute(CKA_KEY_TYPE, &key_type_ec, sizeof key_type_ec);
        t[5] = attribute(CKA_EC_PARAMS, p256_oid_der, sizeof p256_oid_der);
        t[6] = attribute(CKA_EC_POINT, point, sizeof point);
    } else {
        const mbedtls_rsa_context *rsa = mbedtls_pk_rsa(*pk);
        mbedtls_mpi n, e;
        mbedtls_mpi_init(&n);
        mbedtls_mpi_init(&e);
        rc = mbedtls_rsa_export(rsa, &n, NULL, NULL, NULL, &e);
        if (rc == 0) {
            rc = write_integer(&n, modulus, sizeof modulus, &modulus_length);
        }
        if (rc == 0) {
            rc = write_integer(&e, exponent, sizeof exponent, &exponent_length);
        }
        mbedtls_mpi_free(&n);
        mbedtls_mpi_free(&e);
        t[4] = attribute(CKA_KEY_TYPE, &key_type_rsa, sizeof key_type_rsa);
        t[5] = attribute(CKA_MODULUS, modulus, modulus_length);
        t[6] = attribute(CKA_PUBLIC_EXPONENT, exponent, exponent_length);
    }
    if (rc != 0) {
        return crypto_error(provision, rc);
    }
    return create_object(provision, t, 7, CKO_PUBLIC_KEY, label);
}

pkcs11_provision_status_t pkcs11_provision_import_key(pkcs11_provision_t *provision, const uint8_t *key, size_t length)
{
    pkcs11_provision_status_t status = begin(provision);
    if (status != PKCS11_PROVISION_OK) {
        return status;
    }
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    status = parse_key(key, length, &pk, &provision->last_mbedtls_error);
    if (status == PKCS11_PROVISION_OK) {
        status = mbedtls_pk_get_type(&pk) == MBEDTLS_PK_ECKEY ? store_ec_private(provision, &pk)
                                                              : store_rsa_private(provision, &pk);
    }
    if (status == PKCS11_PROVISION_OK && separate_public_label(provision)) {
        status = store_public(provision, &pk);
    }
    mbedtls_pk_free(&pk); /* zeroizes the parsed key */
    return status;
}

/* ---- certificates ----------------------------------------------------------------------------- */

/* One X.509 certificate from PEM or DER into `crt` (initialised). */
static pkcs11_provision_status_t parse_certificate(const uint8_t *certificate, size_t length, mbedtls_x509_crt *crt,
                                                   int *error)
{
    *error = 0;
    if (!input_usable(certificate, length)) {
        return PKCS11_PROVISION_BAD_ARGUMENT;
    }
    /* A positive result counts the PEM certificates that failed while others parsed: still not what was given. */
    *error = mbedtls_x509_crt_parse(crt, certificate, length);
    int high = high_level(*error);
    if (high == MBEDTLS_ERR_X509_ALLOC_FAILED || high == MBEDTLS_ERR_PEM_ALLOC_FAILED) {
        return PKCS11_PROVISION_CRYPTO_ERROR;
    }
    if (*error != 0 || crt->raw.p == NULL) {
        return PKCS11_PROVISION_BAD_ENCODING;
    }
    return crt->next != NULL ? PKCS11_PROVISION_SEVERAL_CERTIFICATES : PKCS11_PROVISION_OK;
}

pkcs11_provision_status_t pkcs11_provision_import_certificate(pkcs11_provision_t *provision, const uint8_t *certificate,
                                                              size_t length, const char *label)
{
    pkcs11_provision_status_t status = begin(provision);
    label = label != NULL ? label : PKCS11_LABEL_DEVICE_CERTIFICATE;
    if (status != PKCS11_PROVISION_OK || label[0] == '\0') {
        return PKCS11_PROVISION_BAD_ARGUMENT;
    }
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    status = parse_certificate(certificate, length, &crt, &provision->last_mbedtls_error);
    if (status == PKCS11_PROVISION_OK) {
        /* CKA_SUBJECT is required by the standard for X.509 certificates; Alder's module reads it from the value. */
        CK_ATTRIBUTE t[] = {attribute(CKA_CLASS, &class_certificate, sizeof class_certificate),
                            attribute(CKA_CERTIFICATE_TYPE, &certificate_x509, sizeof certificate_x509),
                            attribute(CKA_TOKEN, &ck_true, sizeof ck_true),
                            label_attribute(label),
                            attribute(CKA_SUBJECT, crt.subject_raw.p, crt.subject_raw.len),
                            attribute(CKA_VALUE, crt.raw.p, crt.raw.len)};
        status = create_object(provision, t, sizeof t / sizeof t[0], CKO_CERTIFICATE, label);
    }
    mbedtls_x509_crt_free(&crt);
    return status;
}

pkcs11_provision_status_t pkcs11_provision_inspect_key(const uint8_t *key, size_t length, const char **kind)
{
    mbedtls_pk_context pk;
    int error = 0;
    mbedtls_pk_init(&pk);
    pkcs11_provision_status_t status = parse_key(key, length, &pk, &error);
    if (status == PKCS11_PROVISION_OK && kind != NULL) {
        *kind = mbedtls_pk_get_type(&pk) == MBEDTLS_PK_ECKEY ? "EC P-256" : "RSA-2048";
    }
    mbedtls_pk_free(&pk);
    return status;
}

pkcs11_provision_status_t pkcs11_provision_inspect_certificate(const uint8_t *certificate, size_t length, char *subject,
                                                               size_t subject_size)
{
    mbedtls_x509_crt crt;
    int error = 0;
    mbedtls_x509_crt_init(&crt);
    pkcs11_provision_status_t status = parse_certificate(certificate, length, &crt, &error);
    if (subject != NULL && subject_size > 0) {
        subject[0] = '\0';
        /* A name longer than the buffer gives an error and a cut text: the caller asked for a fitting one. */
        if (status == PKCS11_PROVISION_OK && mbedtls_x509_dn_gets(subject, subject_size, &crt.subject) < 0) {
            subject[subject_size - 1] = '\0';
        }
    }
    mbedtls_x509_crt_free(&crt);
    return status;
}

pkcs11_provision_status_t pkcs11_provision_match(const uint8_t *key, size_t key_length, const uint8_t *certificate,
                                                 size_t certificate_length)
{
    mbedtls_pk_context pk;
    mbedtls_x509_crt crt;
    int error = 0;
    mbedtls_pk_init(&pk);
    mbedtls_x509_crt_init(&crt);
    pkcs11_provision_status_t status = parse_key(key, key_length, &pk, &error);
    if (status == PKCS11_PROVISION_OK) {
        status = parse_certificate(certificate, certificate_length, &crt, &error);
    }
    if (status == PKCS11_PROVISION_OK && !pkcs11_pk_same_public(&crt.pk, &pk)) {
        status = PKCS11_PROVISION_KEY_MISMATCH;
    }
    mbedtls_x509_crt_free(&crt);
    mbedtls_pk_free(&pk);
    return status;
}

/* ---- the stored key's public half ------------------------------------------------------------- */

static pkcs11_provision_status_t load_public_status(pkcs11_provision_t *provision, int error)
{
    provision->last_mbedtls_error = error;
    switch (error) {
    case 0:
        return PKCS11_PROVISION_OK;
    case MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE:
        return PKCS11_PROVISION_UNSUPPORTED_KEY;
    case MBEDTLS_ERR_PK_FILE_IO_ERROR: /* C_GetAttributeValue failed */
        return PKCS11_PROVISION_TOKEN_ERROR;
    case MBEDTLS_ERR_PK_INVALID_PUBKEY:
        return PKCS11_PROVISION_BAD_ENCODING;
    default:
        return PKCS11_PROVISION_CRYPTO_ERROR;
    }
}

/* The private key under key_label, and its public half read into `public_key` (initialised): the public key object
 * under the same label (Alder's module shows one there), else the separate one. */
static pkcs11_provision_status_t load_stored_key(pkcs11_provision_t *provision, CK_OBJECT_HANDLE *private_key,
                                                 mbedtls_pk_context *public_key)
{
    CK_OBJECT_HANDLE public_object = CK_INVALID_HANDLE;
    pkcs11_provision_status_t status = find_one(provision, CKO_PRIVATE_KEY, provision->key_label, private_key);
    if (status != PKCS11_PROVISION_OK) {
        return status;
    }
    status = find_one(provision, CKO_PUBLIC_KEY, provision->key_label, &public_object);
    if (status == PKCS11_PROVISION_NOT_FOUND && separate_public_label(provision)) {
        status = find_one(provision, CKO_PUBLIC_KEY, provision->public_key_label, &public_object);
    }
    if (status != PKCS11_PROVISION_OK) {
        return status;
    }
    int rc = pkcs11_pk_load_public(public_key, provision->functions, provision->session, public_object);
    return load_public_status(provision, rc);
}

/* Compares a parsed certificate's key with the stored key's public half. */
static pkcs11_provision_status_t check_against_stored(pkcs11_provision_t *provision, const mbedtls_x509_crt *crt)
{
    CK_OBJECT_HANDLE private_key = CK_INVALID_HANDLE;
    mbedtls_pk_context stored;
    mbedtls_pk_init(&stored);
    pkcs11_provision_status_t status = load_stored_key(provision, &private_key, &stored);
    if (status == PKCS11_PROVISION_OK && !pkcs11_pk_same_public(&crt->pk, &stored)) {
        status = PKCS11_PROVISION_KEY_MISMATCH;
    }
    mbedtls_pk_free(&stored);
    return status;
}

pkcs11_provision_status_t pkcs11_provision_check_certificate(pkcs11_provision_t *provision, const uint8_t *certificate,
                                                             size_t length)
{
    pkcs11_provision_status_t status = begin(provision);
    if (status != PKCS11_PROVISION_OK) {
        return status;
    }
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    status = parse_certificate(certificate, length, &crt, &provision->last_mbedtls_error);
    if (status == PKCS11_PROVISION_OK) {
        status = check_against_stored(provision, &crt);
    }
    mbedtls_x509_crt_free(&crt);
    return status;
}

/* A stored certificate's DER, parsed into `crt` (initialised). */
static pkcs11_provision_status_t read_certificate(pkcs11_provision_t *provision, const char *label,
                                                  mbedtls_x509_crt *crt)
{
    CK_OBJECT_HANDLE object = CK_INVALID_HANDLE;
    pkcs11_provision_status_t status = find_one(provision, CKO_CERTIFICATE, label, &object);
    CK_ATTRIBUTE value = attribute(CKA_VALUE, NULL, 0);
    CK_RV rv = CKR_OK;
    if (status == PKCS11_PROVISION_OK) {
        rv = provision->functions->C_GetAttributeValue(provision->session, object, &value, 1);
        status = rv == CKR_OK ? PKCS11_PROVISION_OK : token_error(provision, rv);
    }
    if (status == PKCS11_PROVISION_OK && (value.ulValueLen == 0 || value.ulValueLen == CK_UNAVAILABLE_INFORMATION)) {
        status = PKCS11_PROVISION_BAD_ENCODING;
    }
    if (status == PKCS11_PROVISION_OK) {
        value.pValue = mbedtls_calloc(1, value.ulValueLen);
        status = value.pValue != NULL ? PKCS11_PROVISION_OK : crypto_error(provision, MBEDTLS_ERR_X509_ALLOC_FAILED);
    }
    if (status == PKCS11_PROVISION_OK) {
        rv = provision->functions->C_GetAttributeValue(provision->session, object, &value, 1);
        status = rv == CKR_OK ? PKCS11_PROVISION_OK : token_error(provision, rv);
    }
    if (status == PKCS11_PROVISION_OK) {
        provision->last_mbedtls_error = mbedtls_x509_crt_parse_der(crt, value.pValue, value.ulValueLen);
        status = provision->last_mbedtls_error == 0 ? PKCS11_PROVISION_OK : PKCS11_PROVISION_BAD_ENCODING;
    }
    mbedtls_free(value.pValue);
    return status;
}

pkcs11_provision_status_t pkcs11_provision_check_stored(pkcs11_provision_t *provision, const char *label)
{
    pkcs11_provision_status_t status = begin(provision);
    label = label != NULL ? label : PKCS11_LABEL_DEVICE_CERTIFICATE;
    if (status != PKCS11_PROVISION_OK || label[0] == '\0') {
        return PKCS11_PROVISION_BAD_ARGUMENT;
    }
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    status = read_certificate(provision, label, &crt);
    if (status == PKCS11_PROVISION_OK) {
        status = check_against_stored(provision, &crt);
    }
    mbedtls_x509_crt_free(&crt);
    return status;
}

/* ---- a key made in the token, and its CSR ------------------------------------------------------ */

pkcs11_provision_status_t pkcs11_provision_generate_key(pkcs11_provision_t *provision)
{
    pkcs11_provision_status_t status = begin(provision);
    if (status != PKCS11_PROVISION_OK) {
        return status;
    }
    bool separate = separate_public_label(provision);
    /* The public template always names a label: under the key's own, Alder's module makes it the private key's
     * public view; another module stores it there, where load_stored_key looks first. */
    const char *public_label = separate ? provision->public_key_label : provision->key_label;
    CK_MECHANISM mechanism = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_ATTRIBUTE public_template[] = {attribute(CKA_TOKEN, &ck_true, sizeof ck_true),
                                      attribute(CKA_EC_PARAMS, p256_oid_der, sizeof p256_oid_der),
                                      attribute(CKA_VERIFY, &ck_true, sizeof ck_true), label_attribute(public_label)};
    CK_ATTRIBUTE private_template[PRIVATE_KEY_COMMON];
    private_key_common(private_template, &key_type_ec, provision->key_label);
    CK_OBJECT_HANDLE public_key = CK_INVALID_HANDLE, private_key = CK_INVALID_HANDLE;
    /* The first two common attributes (class, key type) are implied by the mechanism. */
    CK_RV rv = provision->functions->C_GenerateKeyPair(
        provision->session, &mechanism, public_template, sizeof public_template / sizeof public_template[0],
        private_template + 2, PRIVATE_KEY_COMMON - 2, &public_key, &private_key);
    if (rv != CKR_OK) {
        return token_error(provision, rv);
    }
    status = remove_others(provision, CKO_PRIVATE_KEY, provision->key_label, private_key);
    if (status == PKCS11_PROVISION_OK && separate) {
        status = remove_others(provision, CKO_PUBLIC_KEY, public_label, public_key);
    }
    return status;
}

/* mbedTLS asks for randomness while writing a CSR; the token has its own, so nothing here needs an RNG setup. */
static int token_random(void *context, unsigned char *out, size_t length)
{
    const pkcs11_provision_t *provision = context;
    CK_RV rv = provision->functions->C_GenerateRandom(provision->session, out, (CK_ULONG)length);
    return rv == CKR_OK ? 0 : MBEDTLS_ERR_PK_HW_ACCEL_FAILED;
}

static pkcs11_provision_status_t csr_status(pkcs11_provision_t *provision, int error)
{
    int low = -((-error) & 0x7F);
    provision->last_mbedtls_error = error;
    if (error == 0) {
        return PKCS11_PROVISION_OK;
    }
    if (low == MBEDTLS_ERR_ASN1_BUF_TOO_SMALL || low == MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL) {
        return PKCS11_PROVISION_BUFFER_TOO_SMALL;
    }
    return high_level(error) == MBEDTLS_ERR_PK_HW_ACCEL_FAILED ? PKCS11_PROVISION_SIGN_FAILED
                                                               : PKCS11_PROVISION_CRYPTO_ERROR;
}

static pkcs11_provision_status_t write_request(pkcs11_provision_t *provision, mbedtls_pk_context *key,
                                               const char *subject, char *out, size_t size)
{
    mbedtls_x509write_csr request;
    mbedtls_x509write_csr_init(&request);
    mbedtls_x509write_csr_set_md_alg(&request, MBEDTLS_MD_SHA256);
    mbedtls_x509write_csr_set_key(&request, key);
    pkcs11_provision_status_t status = PKCS11_PROVISION_OK;
    int rc = mbedtls_x509write_csr_set_subject_name(&request, subject);
    if (rc != 0) {
        provision->last_mbedtls_error = rc;
        status = PKCS11_PROVISION_BAD_SUBJECT;
    } else {
        rc = mbedtls_x509write_csr_pem(&request, (unsigned char *)out, size, token_random, provision);
        status = csr_status(provision, rc);
    }
    mbedtls_x509write_csr_free(&request);
    return status;
}

/* Each component must be a non-empty type, '=', and a non-empty value. mbedTLS silently drops a component without
 * '=' ("CN" alone, or the "O" of "CN=a,O"), and 2.28 crashes on an empty value that replaces an earlier one of the
 * same type ("C=1,C=": found by fuzz_pkcs11_provision). A backslash escapes the next character of a value. */
static bool components_have_values(const char *subject)
{
    size_t type_length = 0;
    size_t value_length = 0;
    bool equals = false;
    for (const char *c = subject;; c++) {
        if (*c == ',' || *c == '\0') {
            if (!equals || type_length == 0 || value_length == 0) {
                return false;
            }
            if (*c == '\0') {
                return true;
            }
            type_length = 0;
            value_length = 0;
            equals = false;
        } else if (!equals && *c == '=') {
            equals = true;
        } else if (equals) {
            if (*c == '\\' && c[1] != '\0') {
                c++; /* an escaped character, "\\," say, belongs to the value */
            }
            value_length++;
        } else {
            type_length++;
        }
    }
}

pkcs11_provision_status_t pkcs11_provision_check_subject(const char *subject)
{
    if (subject == NULL || !components_have_values(subject)) {
        return PKCS11_PROVISION_BAD_SUBJECT;
    }
    mbedtls_x509write_csr request;
    mbedtls_x509write_csr_init(&request);
    int rc = mbedtls_x509write_csr_set_subject_name(&request, subject);
    mbedtls_x509write_csr_free(&request);
    return rc == 0 ? PKCS11_PROVISION_OK : PKCS11_PROVISION_BAD_SUBJECT;
}

pkcs11_provision_status_t pkcs11_provision_write_csr(pkcs11_provision_t *provision, const char *subject, char *out,
                                                     size_t size, size_t *length)
{
    pkcs11_provision_status_t status = begin(provision);
    if (status != PKCS11_PROVISION_OK || subject == NULL || out == NULL || size == 0 || length == NULL) {
        return PKCS11_PROVISION_BAD_ARGUMENT;
    }
    out[0] = '\0';
    *length = 0;
    if (pkcs11_provision_check_subject(subject) != PKCS11_PROVISION_OK) {
        return PKCS11_PROVISION_BAD_SUBJECT;
    }
    CK_OBJECT_HANDLE private_key = CK_INVALID_HANDLE;
    mbedtls_pk_context public_key, key;
    mbedtls_pk_init(&public_key);
    mbedtls_pk_init(&key);
    status = load_stored_key(provision, &private_key, &public_key);
    if (status == PKCS11_PROVISION_OK) {
        int rc = pkcs11_pk_setup(&key, provision->functions, provision->session, private_key, &public_key);
        status = load_public_status(provision, rc);
    }
    if (status == PKCS11_PROVISION_OK) {
        status = write_request(provision, &key, subject, out, size);
    }
    mbedtls_pk_free(&key);
    mbedtls_pk_free(&public_key);
    if (status == PKCS11_PROVISION_OK) {
        *length = strlen(out);
    } else {
        out[0] = '\0'; /* a half-written request is no use to anyone */
    }
    return status;
}

/* ---- listing ---------------------------------------------------------------------------------- */

/* Class, label and type of one object; attributes it does not have stay unavailable. */
static void describe(const pkcs11_provision_t *provision, CK_OBJECT_HANDLE object, pkcs11_provision_object_t *out)
{
    memset(out, 0, sizeof *out);
    out->object_class = CK_UNAVAILABLE_INFORMATION;
    out->type = CK_UNAVAILABLE_INFORMATION;
    CK_ATTRIBUTE a[] = {attribute(CKA_CLASS, &out->object_class, sizeof out->object_class),
                        attribute(CKA_LABEL, out->label, sizeof out->label - 1)};
    /* Each entry is answered even when another fails (the standard's rule), so one call gives what exists. */
    (void)provision->functions->C_GetAttributeValue(provision->session, object, a, 2);
    if (a[0].ulValueLen != sizeof out->object_class) {
        out->object_class = CK_UNAVAILABLE_INFORMATION;
    }
    if (a[1].ulValueLen == CK_UNAVAILABLE_INFORMATION || a[1].ulValueLen >= sizeof out->label) {
        out->label_too_long = true;
        out->label[0] = '\0';
    } else {
        out->label[a[1].ulValueLen] = '\0';
    }
    CK_ATTRIBUTE_TYPE type_attribute = out->object_class == CKO_CERTIFICATE ? CKA_CERTIFICATE_TYPE : CKA_KEY_TYPE;
    CK_ATTRIBUTE type = attribute(type_attribute, &out->type, sizeof out->type);
    if (out->object_class == CKO_CERTIFICATE || out->object_class == CKO_PUBLIC_KEY ||
        out->object_class == CKO_PRIVATE_KEY) {
        if (provision->functions->C_GetAttributeValue(provision->session, object, &type, 1) != CKR_OK) {
            out->type = CK_UNAVAILABLE_INFORMATION;
        }
    }
}

pkcs11_provision_status_t pkcs11_provision_list(pkcs11_provision_t *provision, pkcs11_provision_visit_t visit,
                                                void *user)
{
    pkcs11_provision_status_t status = begin(provision);
    if (status != PKCS11_PROVISION_OK || visit == NULL) {
        return PKCS11_PROVISION_BAD_ARGUMENT;
    }
    CK_FUNCTION_LIST_PTR f = provision->functions;
    CK_RV rv = f->C_FindObjectsInit(provision->session, NULL, 0);
    if (rv != CKR_OK) {
        return token_error(provision, rv);
    }
    CK_ULONG count = 1;
    while (rv == CKR_OK && count == 1) {
        CK_OBJECT_HANDLE object = CK_INVALID_HANDLE;
        rv = f->C_FindObjects(provision->session, &object, 1, &count);
        if (rv == CKR_OK && count == 1) {
            pkcs11_provision_object_t description;
            describe(provision, object, &description);
            visit(user, &description);
        }
    }
    CK_RV final_rv = f->C_FindObjectsFinal(provision->session);
    rv = rv != CKR_OK ? rv : final_rv;
    return rv == CKR_OK ? PKCS11_PROVISION_OK : token_error(provision, rv);
}
