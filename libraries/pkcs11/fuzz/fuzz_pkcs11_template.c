/* Alder PKCS#11: libFuzzer target for attribute-template validation (C_CreateObject, C_GenerateKeyPair and
 * C_FindObjectsInit), and for what C_CreateObject builds from an accepted template: the key DER and its record.
 * It must never hand the code under test a value larger than it says: each value is its own exact-size buffer.
 *
 * Input: byte 0 picks the use; then up to MAX_ATTRIBUTES entries of
 *   [type selector] [length: 1 byte, or 0xFF and 2 bytes little-endian] [that many value bytes]
 * A selector below TYPE_COUNT names one of the types in `types`; 0xFE makes the value pointer NULL (with the
 * length kept); 0xFF reads 4 more bytes as a raw type; any other value is used as the type itself. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkcs11_crypto.h"
#include "pkcs11_pal.h"
#include "pkcs11_store.h"
#include "pkcs11_template.h"

#define MAX_ATTRIBUTES 16

static const CK_ATTRIBUTE_TYPE types[] = {
    CKA_CLASS,
    CKA_TOKEN,
    CKA_PRIVATE,
    CKA_LABEL,
    CKA_VALUE,
    CKA_CERTIFICATE_TYPE,
    CKA_ISSUER,
    CKA_SERIAL_NUMBER,
    CKA_TRUSTED,
    CKA_CERTIFICATE_CATEGORY,
    CKA_KEY_TYPE,
    CKA_SUBJECT,
    CKA_ID,
    CKA_SENSITIVE,
    CKA_ENCRYPT,
    CKA_DECRYPT,
    CKA_WRAP,
    CKA_UNWRAP,
    CKA_SIGN,
    CKA_SIGN_RECOVER,
    CKA_VERIFY,
    CKA_VERIFY_RECOVER,
    CKA_DERIVE,
    CKA_START_DATE,
    CKA_END_DATE,
    CKA_MODULUS,
    CKA_MODULUS_BITS,
    CKA_PUBLIC_EXPONENT,
    CKA_PRIVATE_EXPONENT,
    CKA_PRIME_1,
    CKA_PRIME_2,
    CKA_EXPONENT_1,
    CKA_EXPONENT_2,
    CKA_COEFFICIENT,
    CKA_PUBLIC_KEY_INFO,
    CKA_EXTRACTABLE,
    CKA_LOCAL,
    CKA_NEVER_EXTRACTABLE,
    CKA_ALWAYS_SENSITIVE,
    CKA_KEY_GEN_MECHANISM,
    CKA_MODIFIABLE,
    CKA_COPYABLE,
    CKA_DESTROYABLE,
    CKA_EC_PARAMS,
    CKA_EC_POINT,
    CKA_ALWAYS_AUTHENTICATE,
    CKA_WRAP_WITH_TRUSTED,
    CKA_ALLOWED_MECHANISMS,
};
#define TYPE_COUNT (sizeof(types) / sizeof(types[0]))

/* The DRBG behind EC key import asks the PAL for entropy; here it is fixed, so runs repeat. */
CK_RV PKCS11_PAL_GetEntropy(uint8_t *out, size_t length)
{
    if (out == NULL && length > 0) {
        return CKR_ARGUMENTS_BAD;
    }
    memset(out, 0xA5, length);
    return CKR_OK;
}

struct reader {
    const uint8_t *data;
    size_t size;
};

static bool take(struct reader *r, size_t n, const uint8_t **out)
{
    if (r->size < n) {
        return false;
    }
    *out = r->data;
    r->data += n;
    r->size -= n;
    return true;
}

static CK_ULONG read_length(struct reader *r)
{
    const uint8_t *p;
    if (!take(r, 1, &p)) {
        return 0;
    }
    if (p[0] != 0xFF) {
        return p[0];
    }
    return take(r, 2, &p) ? (CK_ULONG)(p[0] | (p[1] << 8)) : 0;
}

/* One attribute from the input; false when the input is used up. */
static bool read_attribute(struct reader *r, CK_ATTRIBUTE *a)
{
    const uint8_t *p;
    if (!take(r, 1, &p)) {
        return false;
    }
    uint8_t selector = p[0];
    bool null_value = selector == 0xFE;
    a->type = (selector < TYPE_COUNT) ? types[selector] : selector;
    if (selector == 0xFF && take(r, 4, &p)) {
        a->type = (CK_ULONG)p[0] | ((CK_ULONG)p[1] << 8) | ((CK_ULONG)p[2] << 16) | ((CK_ULONG)p[3] << 24);
    }
    a->ulValueLen = read_length(r);
    size_t available = a->ulValueLen < r->size ? a->ulValueLen : r->size;
    a->pValue = NULL;
    if (!null_value) {
        a->ulValueLen = available;
        a->pValue = malloc(available > 0 ? available : 1);
        if (a->pValue != NULL && take(r, available, &p)) {
            memcpy(a->pValue, p, available);
        }
    }
    return true;
}

/* What C_CreateObject does after the template is accepted, minus the PAL. */
static void build_record(const pkcs11_template_t *t)
{
    static uint8_t der[PKCS11_DER_BUFFER_SIZE];
    static uint8_t bytes[PKCS11_CONFIG_MAX_OBJECT_SIZE];
    pkcs11_store_record_t record = {0};
    if (pkcs11_crypto_value_from_template(t, der, sizeof(der), &record.value, &record.value_len) != CKR_OK) {
        return;
    }
    record.kind = t->object_class == CKO_CERTIFICATE  ? PKCS11_STORE_KIND_CERTIFICATE
                  : t->object_class == CKO_PUBLIC_KEY ? PKCS11_STORE_KIND_PUBLIC_KEY
                                                      : PKCS11_STORE_KIND_PRIVATE_KEY;
    record.flags = t->flags;
    record.type = (uint32_t)(t->object_class == CKO_CERTIFICATE ? t->certificate_type : t->key_type);
    record.label = t->label.bytes;
    record.label_len = t->label.length;
    record.id = t->id.bytes;
    record.id_len = t->id.length;
    size_t size = 0;
    pkcs11_store_record_t back;
    /* An accepted template always makes a record that encodes (or is too large) and reads back. */
    pkcs11_store_status_t status = pkcs11_store_encode(&record, bytes, sizeof(bytes), &size);
    if (status == PKCS11_STORE_OK && pkcs11_store_decode(bytes, size, &back) != PKCS11_STORE_OK) {
        abort();
    }
    if (status == PKCS11_STORE_BAD_ARGUMENT && pkcs11_store_encoded_size(&record) <= PKCS11_CONFIG_MAX_OBJECT_SIZE) {
        abort();
    }
}

static bool lookup(void *context, CK_ATTRIBUTE_TYPE type, const uint8_t **bytes, size_t *length)
{
    static const CK_ULONG certificate = CKO_CERTIFICATE;
    (void)context;
    if (type == CKA_CLASS) {
        *bytes = (const uint8_t *)&certificate;
        *length = sizeof(certificate);
        return true;
    }
    if (type == CKA_LABEL) {
        *bytes = (const uint8_t *)"Device Cert";
        *length = 11;
        return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool started;
    if (!started) {
        started = pkcs11_crypto_start() == CKR_OK;
    }
    struct reader r = {data, size};
    const uint8_t *use_byte;
    if (!take(&r, 1, &use_byte)) {
        return 0;
    }
    CK_ATTRIBUTE attributes[MAX_ATTRIBUTES];
    CK_ULONG count = 0;
    while (count < MAX_ATTRIBUTES && read_attribute(&r, &attributes[count])) {
        count++;
    }
    pkcs11_template_t t;
    pkcs11_find_query_t query;
    switch (use_byte[0] % 4u) {
    case 0:
        if (pkcs11_template_parse(attributes, count, PKCS11_TEMPLATE_CREATE, &t) == CKR_OK) {
            build_record(&t);
        }
        break;
    case 1:
        (void)pkcs11_template_parse(attributes, count, PKCS11_TEMPLATE_GENERATE_PUBLIC, &t);
        break;
    case 2:
        (void)pkcs11_template_parse(attributes, count, PKCS11_TEMPLATE_GENERATE_PRIVATE, &t);
        break;
    default:
        if (pkcs11_find_compile(attributes, count, &query) == CKR_OK) {
            (void)pkcs11_find_matches(&query, lookup, NULL);
        }
        break;
    }
    for (CK_ULONG i = 0; i < count; i++) {
        free(attributes[i].pValue);
    }
    return 0;
}
