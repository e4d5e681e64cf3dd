/* Alder PKCS#11: one stored object opened for use: its record read through the PAL and checked, its key or
 * certificate parsed on demand, and its attributes as C_GetAttributeValue and C_FindObjects see them.
 * It must never hand out a private key's secret parts: CKA_VALUE of an EC private key and the RSA private
 * components answer CKR_ATTRIBUTE_SENSITIVE, whoever asks, logged in or not. */
#include "pkcs11_object.h"

#include <string.h>

#include "mbedtls/ecp.h"
#include "mbedtls/platform_util.h"
#include "mbedtls/rsa.h"

#include "pkcs11_crypto.h"
#include "pkcs11_internal.h"
#include "pkcs11_pal.h"
#include "pkcs11_template.h"

#define PARSE_NONE 0
#define PARSE_OK 1
#define PARSE_FAILED 2

/* Where an attribute's value goes: scratch for values built here, or a pointer into the object. */
typedef struct {
    uint8_t *scratch;
    const uint8_t **bytes;
    size_t *length;
} value_out_t;

static CK_RV put_bytes(value_out_t *out, const uint8_t *bytes, size_t length)
{
    *out->bytes = (length > 0) ? bytes : out->scratch;
    *out->length = length;
    return CKR_OK;
}

static CK_RV put_ulong(value_out_t *out, CK_ULONG value)
{
    memcpy(out->scratch, &value, sizeof(value));
    return put_bytes(out, out->scratch, sizeof(value));
}

static CK_RV put_bool(value_out_t *out, bool value)
{
    out->scratch[0] = value ? CK_TRUE : CK_FALSE;
    return put_bytes(out, out->scratch, 1);
}

static bool has_flag(const pkcs11_object_t *o, uint16_t flag)
{
    return (o->record.flags & flag) != 0;
}

CK_RV pkcs11_object_open(CK_OBJECT_HANDLE handle, pkcs11_object_t *o)
{
    memset(o, 0, sizeof(*o));
    mbedtls_pk_init(&o->key);
    mbedtls_x509_crt_init(&o->certificate);
    if (handle < 2u || handle >= PKCS11_HANDLE_LIMIT) {
        return CKR_OBJECT_HANDLE_INVALID;
    }
    o->pal_handle = handle / 2u;
    o->view = (handle & 1u) != 0;
    CK_BBOOL pal_private = CK_FALSE;
    CK_RV rv = PKCS11_PAL_GetObjectValue(o->pal_handle, &o->data, &o->size, &pal_private);
    if (rv != CKR_OK) {
        o->data = NULL;
        return (rv == CKR_OBJECT_HANDLE_INVALID || rv == CKR_HOST_MEMORY) ? rv : CKR_DEVICE_ERROR;
    }
    o->pal_private = pal_private != CK_FALSE;
    pkcs11_store_status_t status = pkcs11_store_decode(o->data, o->size, &o->record);
    if (status != PKCS11_STORE_OK) {
        pkcs11_log("stored object", o->pal_handle, pkcs11_store_strerror(status));
        pkcs11_object_close(o);
        return CKR_DEVICE_ERROR;
    }
    if (o->view && o->record.kind != PKCS11_STORE_KIND_PRIVATE_KEY) {
        pkcs11_object_close(o);
        return CKR_OBJECT_HANDLE_INVALID;
    }
    return CKR_OK;
}

void pkcs11_object_close(pkcs11_object_t *o)
{
    mbedtls_pk_free(&o->key);
    mbedtls_x509_crt_free(&o->certificate);
    if (o->data != NULL) {
        PKCS11_PAL_GetObjectValueCleanup(o->data, o->size);
    }
    memset(o, 0, sizeof(*o));
}

CK_OBJECT_CLASS pkcs11_object_class(const pkcs11_object_t *o)
{
    if (o->view) {
        return CKO_PUBLIC_KEY;
    }
    switch (o->record.kind) {
    case PKCS11_STORE_KIND_CERTIFICATE:
        return CKO_CERTIFICATE;
    case PKCS11_STORE_KIND_PUBLIC_KEY:
        return CKO_PUBLIC_KEY;
    default:
        return CKO_PRIVATE_KEY;
    }
}

bool pkcs11_object_is_private(const pkcs11_object_t *o)
{
    /* A view shows only the public half, so it is as public as any public key. */
    return !o->view && (o->pal_private || has_flag(o, PKCS11_STORE_FLAG_PRIVATE));
}

/* Parse the stored DER once per open. A record whose CRC is right but whose DER is not a key of its type
 * was not written by this module: it is reported like any damaged record. */
static CK_RV parse_value(pkcs11_object_t *o)
{
    if (o->parse_state != PARSE_NONE) {
        return (o->parse_state == PARSE_OK) ? CKR_OK : CKR_DEVICE_ERROR;
    }
    int ret;
    if (o->record.kind == PKCS11_STORE_KIND_CERTIFICATE) {
        ret = mbedtls_x509_crt_parse_der(&o->certificate, o->record.value, o->record.value_len);
    } else {
        ret = pkcs11_crypto_parse_key(&o->key, o->record.value, o->record.value_len,
                                      o->record.kind == PKCS11_STORE_KIND_PRIVATE_KEY);
        if (ret == 0 && pkcs11_crypto_key_type(&o->key) != o->record.type) {
            ret = -1;
        }
    }
    if (ret != 0) {
        pkcs11_log("stored object", o->pal_handle, "value does not parse as its type");
        o->parse_state = PARSE_FAILED;
        return CKR_DEVICE_ERROR;
    }
    o->parse_state = PARSE_OK;
    return CKR_OK;
}

CK_RV pkcs11_object_key(pkcs11_object_t *o, mbedtls_pk_context **key)
{
    if (o->record.kind == PKCS11_STORE_KIND_CERTIFICATE) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    CK_RV rv = parse_value(o);
    if (rv == CKR_OK) {
        *key = &o->key;
    }
    return rv;
}

/* CKA_CLASS and the other attributes every stored object has. */
static CK_RV storage_attribute(const pkcs11_object_t *o, CK_ATTRIBUTE_TYPE type, value_out_t *out)
{
    switch (type) {
    case CKA_CLASS:
        return put_ulong(out, pkcs11_object_class(o));
    case CKA_TOKEN:
        return put_bool(out, true);
    case CKA_PRIVATE:
        return put_bool(out, pkcs11_object_is_private(o));
    case CKA_MODIFIABLE:
    case CKA_COPYABLE:
        return put_bool(out, false);
    case CKA_DESTROYABLE:
        return put_bool(out, !o->view); /* a view goes with its private key */
    case CKA_LABEL:
        return put_bytes(out, o->record.label, o->record.label_len);
    default:
        return CKR_ATTRIBUTE_TYPE_INVALID;
    }
}

/* A DER INTEGER around the certificate's serial number bytes (CKA_SERIAL_NUMBER is the whole encoding). */
static CK_RV put_serial(pkcs11_object_t *o, value_out_t *out)
{
    const mbedtls_x509_buf *serial = &o->certificate.serial;
    if (serial->len == 0 || serial->len > 255) {
        return CKR_ATTRIBUTE_TYPE_INVALID;
    }
    size_t at = 0;
    out->scratch[at++] = 0x02;
    if (serial->len >= 128) {
        out->scratch[at++] = 0x81;
    }
    out->scratch[at++] = (uint8_t)serial->len;
    memcpy(out->scratch + at, serial->p, serial->len);
    return put_bytes(out, out->scratch, at + serial->len);
}

static CK_RV certificate_attribute(pkcs11_object_t *o, CK_ATTRIBUTE_TYPE type, value_out_t *out)
{
    switch (type) {
    case CKA_CERTIFICATE_TYPE:
        return put_ulong(out, CKC_X_509);
    case CKA_CERTIFICATE_CATEGORY:
        return put_ulong(out, CK_CERTIFICATE_CATEGORY_UNSPECIFIED);
    case CKA_TRUSTED:
        return put_bool(out, false);
    case CKA_ID:
        return put_bytes(out, o->record.id, o->record.id_len);
    case CKA_VALUE:
        return put_bytes(out, o->record.value, o->record.value_len);
    case CKA_START_DATE:
    case CKA_END_DATE:
        return put_bytes(out, NULL, 0);
    case CKA_SUBJECT:
    case CKA_ISSUER:
    case CKA_SERIAL_NUMBER:
        break;
    default:
        return CKR_ATTRIBUTE_TYPE_INVALID;
    }
    CK_RV rv = parse_value(o);
    if (rv != CKR_OK) {
        return rv;
    }
    if (type == CKA_SUBJECT) {
        return put_bytes(out, o->certificate.subject_raw.p, o->certificate.subject_raw.len);
    }
    if (type == CKA_ISSUER) {
        return put_bytes(out, o->certificate.issuer_raw.p, o->certificate.issuer_raw.len);
    }
    return put_serial(o, out);
}

/* Attributes every key has: common key attributes, and those the stored flags answer. */
static CK_RV key_attribute(pkcs11_object_t *o, CK_ATTRIBUTE_TYPE type, value_out_t *out)
{
    bool local = has_flag(o, PKCS11_STORE_FLAG_LOCAL);
    switch (type) {
    case CKA_KEY_TYPE:
        return put_ulong(out, o->record.type);
    case CKA_ID:
        return put_bytes(out, o->record.id, o->record.id_len);
    case CKA_SUBJECT:
    case CKA_START_DATE:
    case CKA_END_DATE:
        return put_bytes(out, NULL, 0);
    case CKA_DERIVE:
        return put_bool(out, has_flag(o, PKCS11_STORE_FLAG_DERIVE));
    case CKA_LOCAL:
        return put_bool(out, local);
    case CKA_KEY_GEN_MECHANISM:
        return put_ulong(out, local ? CKM_EC_KEY_PAIR_GEN : CK_UNAVAILABLE_INFORMATION);
    default:
        return CKR_ATTRIBUTE_TYPE_INVALID;
    }
}

static CK_RV put_public_key_info(mbedtls_pk_context *key, value_out_t *out)
{
    int n = mbedtls_pk_write_pubkey_der(key, out->scratch, PKCS11_ATTRIBUTE_SCRATCH_SIZE);
    if (n <= 0) {
        return CKR_DEVICE_ERROR;
    }
    return put_bytes(out, out->scratch + PKCS11_ATTRIBUTE_SCRATCH_SIZE - (size_t)n, (size_t)n);
}

/* CKA_EC_POINT as the standard has it: the DER OCTET STRING around the uncompressed point. */
static CK_RV put_ec_point(mbedtls_pk_context *key, value_out_t *out)
{
    mbedtls_ecp_keypair *ec = mbedtls_pk_ec(*key);
    size_t length = 0;
    if (mbedtls_ecp_point_write_binary(&ec->grp, &ec->Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &length, out->scratch + 2,
                                       PKCS11_ATTRIBUTE_SCRATCH_SIZE - 2) != 0 ||
        length >= 128) {
        return CKR_DEVICE_ERROR;
    }
    out->scratch[0] = 0x04;
    out->scratch[1] = (uint8_t)length;
    return put_bytes(out, out->scratch, length + 2);
}

/* CKA_MODULUS or CKA_PUBLIC_EXPONENT, big-endian without leading zeros. */
static CK_RV put_rsa_public(mbedtls_pk_context *key, CK_ATTRIBUTE_TYPE type, value_out_t *out)
{
    mbedtls_mpi n, e;
    mbedtls_mpi_init(&n);
    mbedtls_mpi_init(&e);
    CK_RV rv = CKR_DEVICE_ERROR;
    if (mbedtls_rsa_export(mbedtls_pk_rsa(*key), &n, NULL, NULL, NULL, &e) == 0) {
        const mbedtls_mpi *value = (type == CKA_MODULUS) ? &n : &e;
        size_t length = mbedtls_mpi_size(value);
        if (length <= PKCS11_ATTRIBUTE_SCRATCH_SIZE && mbedtls_mpi_write_binary(value, out->scratch, length) == 0) {
            rv = put_bytes(out, out->scratch, length);
        }
    }
    mbedtls_mpi_free(&n);
    mbedtls_mpi_free(&e);
    return rv;
}

/* The attributes read from the parsed key: CKA_EC_POINT only for public keys (the standard's split). */
static bool is_public_part(CK_KEY_TYPE key_type, CK_ATTRIBUTE_TYPE type, bool with_point)
{
    if (type == CKA_PUBLIC_KEY_INFO) {
        return true;
    }
    if (key_type == CKK_EC) {
        return with_point && type == CKA_EC_POINT;
    }
    return type == CKA_MODULUS || type == CKA_MODULUS_BITS || type == CKA_PUBLIC_EXPONENT;
}

/* The public parts of any key (a private key shows them too): CKA_EC_PARAMS, CKA_MODULUS, ... */
static CK_RV public_part_attribute(pkcs11_object_t *o, CK_ATTRIBUTE_TYPE type, bool with_point, value_out_t *out)
{
    if (type == CKA_EC_PARAMS && o->record.type == CKK_EC) {
        return put_bytes(out, pkcs11_p256_oid_der, PKCS11_P256_OID_DER_SIZE);
    }
    if (!is_public_part(o->record.type, type, with_point)) {
        return CKR_ATTRIBUTE_TYPE_INVALID;
    }
    mbedtls_pk_context *key = NULL;
    CK_RV rv = pkcs11_object_key(o, &key);
    if (rv != CKR_OK) {
        return rv;
    }
    if (type == CKA_PUBLIC_KEY_INFO) {
        return put_public_key_info(key, out);
    }
    if (type == CKA_EC_POINT) {
        return put_ec_point(key, out);
    }
    if (type == CKA_MODULUS_BITS) {
        return put_ulong(out, (CK_ULONG)mbedtls_pk_get_bitlen(key));
    }
    return put_rsa_public(key, type, out);
}

static CK_RV public_key_attribute(pkcs11_object_t *o, CK_ATTRIBUTE_TYPE type, value_out_t *out)
{
    /* A view is the public half of a signing key: it verifies, and does nothing else. */
    bool verify = o->view ? has_flag(o, PKCS11_STORE_FLAG_SIGN) : has_flag(o, PKCS11_STORE_FLAG_VERIFY);
    switch (type) {
    case CKA_VERIFY:
        return put_bool(out, verify);
    case CKA_ENCRYPT:
        return put_bool(out, !o->view && has_flag(o, PKCS11_STORE_FLAG_ENCRYPT));
    case CKA_WRAP:
        return put_bool(out, !o->view && has_flag(o, PKCS11_STORE_FLAG_WRAP));
    case CKA_VERIFY_RECOVER:
    case CKA_TRUSTED:
        return put_bool(out, false);
    default:
        return public_part_attribute(o, type, true, out);
    }
}

static bool is_secret_part(CK_KEY_TYPE key_type, CK_ATTRIBUTE_TYPE type)
{
    if (key_type == CKK_EC) {
        return type == CKA_VALUE;
    }
    return type == CKA_PRIVATE_EXPONENT || type == CKA_PRIME_1 || type == CKA_PRIME_2 || type == CKA_EXPONENT_1 ||
           type == CKA_EXPONENT_2 || type == CKA_COEFFICIENT;
}

static CK_RV private_key_attribute(pkcs11_object_t *o, CK_ATTRIBUTE_TYPE type, value_out_t *out)
{
    if (is_secret_part(o->record.type, type)) {
        return CKR_ATTRIBUTE_SENSITIVE;
    }
    switch (type) {
    case CKA_SIGN:
        return put_bool(out, has_flag(o, PKCS11_STORE_FLAG_SIGN));
    case CKA_DECRYPT:
        return put_bool(out, has_flag(o, PKCS11_STORE_FLAG_DECRYPT));
    case CKA_UNWRAP:
        return put_bool(out, has_flag(o, PKCS11_STORE_FLAG_UNWRAP));
    case CKA_SENSITIVE:
    case CKA_ALWAYS_SENSITIVE:  /* no private key is ever created otherwise */
    case CKA_NEVER_EXTRACTABLE: /* nor made extractable */
        return put_bool(out, true);
    case CKA_EXTRACTABLE:
    case CKA_SIGN_RECOVER:
    case CKA_WRAP_WITH_TRUSTED:
    case CKA_ALWAYS_AUTHENTICATE:
        return put_bool(out, false);
    default:
        return public_part_attribute(o, type, false, out);
    }
}

CK_RV pkcs11_object_attribute(pkcs11_object_t *o, CK_ATTRIBUTE_TYPE type, uint8_t *scratch, const uint8_t **bytes,
                              size_t *length)
{
    value_out_t out = {scratch, bytes, length};
    CK_RV rv = storage_attribute(o, type, &out);
    if (rv != CKR_ATTRIBUTE_TYPE_INVALID) {
        return rv;
    }
    switch (pkcs11_object_class(o)) {
    case CKO_CERTIFICATE:
        return certificate_attribute(o, type, &out);
    case CKO_PUBLIC_KEY:
        rv = key_attribute(o, type, &out);
        return (rv != CKR_ATTRIBUTE_TYPE_INVALID) ? rv : public_key_attribute(o, type, &out);
    default:
        rv = key_attribute(o, type, &out);
        return (rv != CKR_ATTRIBUTE_TYPE_INVALID) ? rv : private_key_attribute(o, type, &out);
    }
}
