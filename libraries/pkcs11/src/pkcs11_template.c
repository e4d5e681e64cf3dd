/* Alder PKCS#11: attribute-template validation for C_CreateObject, C_GenerateKeyPair and C_FindObjectsInit.
 * It must never accept an attribute it cannot honour: a key that asks to be extractable, a session object, a
 * usage it would silently drop. A refused template is an honest answer; a quietly changed one is not. */
#include "pkcs11_template.h"

#include <string.h>

#include "pkcs11_store.h"

const uint8_t pkcs11_p256_oid_der[PKCS11_P256_OID_DER_SIZE] = {0x06, 0x08, 0x2A, 0x86, 0x48,
                                                               0xCE, 0x3D, 0x03, 0x01, 0x07};

/* Which classes an attribute belongs to. */
#define CLS_CERT 1u
#define CLS_PUB 2u
#define CLS_PRIV 4u
#define CLS_KEYS (CLS_PUB | CLS_PRIV)
#define CLS_ALL (CLS_CERT | CLS_KEYS)

/* Which key types (for key classes only; 0 = any). */
#define KT_EC 1u
#define KT_RSA 2u

enum rule_kind {
    R_ULONG,       /* a CK_ULONG value */
    R_FLAG,        /* a CK_BBOOL kept in the record's flags */
    R_FIXED,       /* a CK_BBOOL the module fixes: only that value is accepted */
    R_BYTES,       /* a byte string the module keeps (or turns into the key) */
    R_IGNORED,     /* accepted and not kept: derived from the value, or informational */
    R_READ_ONLY,   /* only the module sets it */
    R_NOT_SETTABLE /* derived from the key; a template must not give it */
};

enum rule_field {
    F_NONE,
    F_CLASS,
    F_KEY_TYPE,
    F_CERTIFICATE_TYPE,
    F_CATEGORY,
    F_LABEL,
    F_ID,
    F_VALUE,
    F_EC_PARAMS,
    F_EC_POINT,
    F_MODULUS,
    F_PUBLIC_EXPONENT,
    F_PRIVATE_EXPONENT,
    F_PRIME_1,
    F_PRIME_2
};

struct rule {
    CK_ATTRIBUTE_TYPE type;
    uint8_t kind;      /* enum rule_kind */
    uint8_t classes;   /* CLS_* */
    uint8_t key_types; /* KT_*, 0 for any */
    uint8_t material;  /* key material: never in a key-generation template */
    uint16_t extra;    /* R_FLAG: the PKCS11_STORE_FLAG_*; R_FIXED: the only accepted value */
    uint8_t field;     /* enum rule_field */
};

/* Every attribute a template may name. At most 64 entries: pkcs11_template_t.present has a bit for each. */
static const struct rule rules[] = {
    {CKA_CLASS, R_ULONG, CLS_ALL, 0, 0, 0, F_CLASS},
    {CKA_TOKEN, R_FIXED, CLS_ALL, 0, 0, CK_TRUE, F_NONE}, /* no session objects: every object is stored */
    {CKA_PRIVATE, R_FLAG, CLS_ALL, 0, 0, PKCS11_STORE_FLAG_PRIVATE, F_NONE},
    {CKA_LABEL, R_BYTES, CLS_ALL, 0, 0, 0, F_LABEL},
    {CKA_MODIFIABLE, R_FIXED, CLS_ALL, 0, 0, CK_FALSE, F_NONE}, /* no C_SetAttributeValue */
    {CKA_COPYABLE, R_FIXED, CLS_ALL, 0, 0, CK_FALSE, F_NONE},
    {CKA_DESTROYABLE, R_FIXED, CLS_ALL, 0, 0, CK_TRUE, F_NONE},
    {CKA_ID, R_BYTES, CLS_ALL, 0, 0, 0, F_ID},
    {CKA_SUBJECT, R_IGNORED, CLS_ALL, 0, 0, 0, F_NONE},
    {CKA_START_DATE, R_IGNORED, CLS_ALL, 0, 0, 0, F_NONE},
    {CKA_END_DATE, R_IGNORED, CLS_ALL, 0, 0, 0, F_NONE},
    {CKA_CERTIFICATE_TYPE, R_ULONG, CLS_CERT, 0, 0, 0, F_CERTIFICATE_TYPE},
    {CKA_CERTIFICATE_CATEGORY, R_ULONG, CLS_CERT, 0, 0, 0, F_CATEGORY},
    {CKA_ISSUER, R_IGNORED, CLS_CERT, 0, 0, 0, F_NONE},        /* read from the certificate itself */
    {CKA_SERIAL_NUMBER, R_IGNORED, CLS_CERT, 0, 0, 0, F_NONE}, /* read from the certificate itself */
    {CKA_TRUSTED, R_FIXED, CLS_CERT | CLS_PUB, 0, 0, CK_FALSE, F_NONE},
    {CKA_VALUE, R_BYTES, CLS_CERT | CLS_PRIV, KT_EC, 1, 0, F_VALUE},
    {CKA_KEY_TYPE, R_ULONG, CLS_KEYS, 0, 0, 0, F_KEY_TYPE},
    {CKA_DERIVE, R_FLAG, CLS_KEYS, 0, 0, PKCS11_STORE_FLAG_DERIVE, F_NONE},
    {CKA_PUBLIC_KEY_INFO, R_IGNORED, CLS_KEYS, 0, 1, 0, F_NONE}, /* derived from the key */
    {CKA_LOCAL, R_READ_ONLY, CLS_KEYS, 0, 0, 0, F_NONE},
    {CKA_KEY_GEN_MECHANISM, R_READ_ONLY, CLS_KEYS, 0, 0, 0, F_NONE},
    {CKA_VERIFY, R_FLAG, CLS_PUB, 0, 0, PKCS11_STORE_FLAG_VERIFY, F_NONE},
    {CKA_ENCRYPT, R_FLAG, CLS_PUB, 0, 0, PKCS11_STORE_FLAG_ENCRYPT, F_NONE},
    {CKA_WRAP, R_FLAG, CLS_PUB, 0, 0, PKCS11_STORE_FLAG_WRAP, F_NONE},
    {CKA_VERIFY_RECOVER, R_FIXED, CLS_PUB, 0, 0, CK_FALSE, F_NONE},
    {CKA_SIGN, R_FLAG, CLS_PRIV, 0, 0, PKCS11_STORE_FLAG_SIGN, F_NONE},
    {CKA_DECRYPT, R_FLAG, CLS_PRIV, 0, 0, PKCS11_STORE_FLAG_DECRYPT, F_NONE},
    {CKA_UNWRAP, R_FLAG, CLS_PRIV, 0, 0, PKCS11_STORE_FLAG_UNWRAP, F_NONE},
    {CKA_SIGN_RECOVER, R_FIXED, CLS_PRIV, 0, 0, CK_FALSE, F_NONE},
    {CKA_SENSITIVE, R_FIXED, CLS_PRIV, 0, 0, CK_TRUE, F_NONE},    /* private keys never leave */
    {CKA_EXTRACTABLE, R_FIXED, CLS_PRIV, 0, 0, CK_FALSE, F_NONE}, /* no key wrapping either */
    {CKA_ALWAYS_AUTHENTICATE, R_FIXED, CLS_PRIV, 0, 0, CK_FALSE, F_NONE},
    {CKA_WRAP_WITH_TRUSTED, R_FIXED, CLS_PRIV, 0, 0, CK_FALSE, F_NONE},
    {CKA_ALWAYS_SENSITIVE, R_READ_ONLY, CLS_PRIV, 0, 0, 0, F_NONE},
    {CKA_NEVER_EXTRACTABLE, R_READ_ONLY, CLS_PRIV, 0, 0, 0, F_NONE},
    {CKA_EC_PARAMS, R_BYTES, CLS_KEYS, KT_EC, 0, 0, F_EC_PARAMS},
    {CKA_EC_POINT, R_BYTES, CLS_PUB, KT_EC, 1, 0, F_EC_POINT},
    {CKA_MODULUS, R_BYTES, CLS_KEYS, KT_RSA, 1, 0, F_MODULUS},
    {CKA_PUBLIC_EXPONENT, R_BYTES, CLS_KEYS, KT_RSA, 1, 0, F_PUBLIC_EXPONENT},
    {CKA_MODULUS_BITS, R_NOT_SETTABLE, CLS_KEYS, KT_RSA, 0, 0, F_NONE},
    {CKA_PRIVATE_EXPONENT, R_BYTES, CLS_PRIV, KT_RSA, 1, 0, F_PRIVATE_EXPONENT},
    {CKA_PRIME_1, R_BYTES, CLS_PRIV, KT_RSA, 1, 0, F_PRIME_1},
    {CKA_PRIME_2, R_BYTES, CLS_PRIV, KT_RSA, 1, 0, F_PRIME_2},
    {CKA_EXPONENT_1, R_IGNORED, CLS_PRIV, KT_RSA, 1, 0, F_NONE}, /* recomputed from the primes */
    {CKA_EXPONENT_2, R_IGNORED, CLS_PRIV, KT_RSA, 1, 0, F_NONE},
    {CKA_COEFFICIENT, R_IGNORED, CLS_PRIV, KT_RSA, 1, 0, F_NONE},
};

#define RULE_COUNT (sizeof(rules) / sizeof(rules[0]))
typedef char rule_table_fits_present_mask[(RULE_COUNT <= 64) ? 1 : -1];

static int find_rule(CK_ATTRIBUTE_TYPE type)
{
    for (size_t i = 0; i < RULE_COUNT; i++) {
        if (rules[i].type == type) {
            return (int)i;
        }
    }
    return -1;
}

static pkcs11_template_bytes_t *bytes_field(pkcs11_template_t *t, uint8_t field)
{
    switch (field) {
    case F_LABEL:
        return &t->label;
    case F_ID:
        return &t->id;
    case F_VALUE:
        return &t->value;
    case F_EC_PARAMS:
        return &t->ec_params;
    case F_EC_POINT:
        return &t->ec_point;
    case F_MODULUS:
        return &t->modulus;
    case F_PUBLIC_EXPONENT:
        return &t->public_exponent;
    case F_PRIVATE_EXPONENT:
        return &t->private_exponent;
    case F_PRIME_1:
        return &t->prime_1;
    case F_PRIME_2:
        return &t->prime_2;
    default:
        return NULL;
    }
}

static size_t max_length(uint8_t field)
{
    switch (field) {
    case F_LABEL:
        return PKCS11_CONFIG_MAX_LABEL_LENGTH;
    case F_ID:
        return PKCS11_CONFIG_MAX_ID_LENGTH;
    default:
        return PKCS11_CONFIG_MAX_OBJECT_SIZE;
    }
}

static CK_RV take_ulong(const struct rule *r, const CK_ATTRIBUTE *a, pkcs11_template_t *t)
{
    CK_ULONG value;
    if (a->ulValueLen != sizeof(value)) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    memcpy(&value, a->pValue, sizeof(value)); /* the caller's buffer may be unaligned */
    switch (r->field) {
    case F_CLASS:
        t->object_class = value;
        t->has_class = true;
        break;
    case F_KEY_TYPE:
        t->key_type = value;
        t->has_key_type = true;
        break;
    case F_CERTIFICATE_TYPE:
        t->certificate_type = value;
        t->has_certificate_type = true;
        break;
    default: /* F_CATEGORY: informational, but it must be one of the standard's values */
        if (value > CK_CERTIFICATE_CATEGORY_OTHER_ENTITY) {
            return CKR_ATTRIBUTE_VALUE_INVALID;
        }
        break;
    }
    return CKR_OK;
}

static CK_RV take_bool(const struct rule *r, const CK_ATTRIBUTE *a, pkcs11_template_t *t)
{
    if (a->ulValueLen != sizeof(CK_BBOOL)) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    CK_BBOOL value = (*(const CK_BBOOL *)a->pValue != CK_FALSE) ? CK_TRUE : CK_FALSE;
    if (r->kind == R_FIXED) {
        return (value == r->extra) ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
    }
    t->flags_given |= r->extra;
    if (value == CK_TRUE) {
        t->flags |= r->extra;
    } else {
        t->flags &= (uint16_t)~r->extra;
    }
    return CKR_OK;
}

static CK_RV take_attribute(const CK_ATTRIBUTE *a, pkcs11_template_t *t)
{
    int index = find_rule(a->type);
    if (index < 0) {
        return CKR_ATTRIBUTE_TYPE_INVALID;
    }
    if (a->pValue == NULL && a->ulValueLen != 0) {
        return CKR_ARGUMENTS_BAD;
    }
    uint64_t bit = (uint64_t)1 << index;
    if ((t->present & bit) != 0) {
        return CKR_TEMPLATE_INCONSISTENT;
    }
    t->present |= bit;
    const struct rule *r = &rules[index];
    switch (r->kind) {
    case R_ULONG:
        return take_ulong(r, a, t);
    case R_FLAG:
    case R_FIXED:
        return take_bool(r, a, t);
    case R_BYTES:
        if (a->ulValueLen > max_length(r->field)) {
            return CKR_ATTRIBUTE_VALUE_INVALID;
        }
        *bytes_field(t, r->field) = (pkcs11_template_bytes_t){a->pValue, a->ulValueLen, true};
        return CKR_OK;
    case R_IGNORED:
        return (a->ulValueLen <= PKCS11_CONFIG_MAX_OBJECT_SIZE) ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
    case R_READ_ONLY:
        return CKR_ATTRIBUTE_READ_ONLY;
    default:
        return CKR_TEMPLATE_INCONSISTENT;
    }
}

/* A key-generation template: its class and key type are given by the use; a template may only repeat them. */
static CK_RV settle_generated(pkcs11_template_t *t, pkcs11_template_use_t use)
{
    CK_OBJECT_CLASS wanted = (use == PKCS11_TEMPLATE_GENERATE_PUBLIC) ? CKO_PUBLIC_KEY : CKO_PRIVATE_KEY;
    if ((t->has_class && t->object_class != wanted) || (t->has_key_type && t->key_type != CKK_EC)) {
        return CKR_TEMPLATE_INCONSISTENT;
    }
    t->object_class = wanted;
    t->key_type = CKK_EC;
    t->has_class = t->has_key_type = true;
    return CKR_OK;
}

/* A C_CreateObject template names its class, and a key its type. */
static CK_RV settle_created(pkcs11_template_t *t)
{
    if (!t->has_class) {
        return CKR_TEMPLATE_INCOMPLETE;
    }
    if (t->object_class == CKO_CERTIFICATE) {
        if (t->has_certificate_type && t->certificate_type != CKC_X_509) {
            return CKR_ATTRIBUTE_VALUE_INVALID;
        }
        t->certificate_type = CKC_X_509;
        return CKR_OK;
    }
    if (t->object_class != CKO_PUBLIC_KEY && t->object_class != CKO_PRIVATE_KEY) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    if (!t->has_key_type) {
        return CKR_TEMPLATE_INCOMPLETE;
    }
    return (t->key_type == CKK_EC || t->key_type == CKK_RSA) ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
}

/* Every named attribute belongs to the class, the key type and the use. */
static CK_RV check_membership(const pkcs11_template_t *t, pkcs11_template_use_t use)
{
    uint8_t cls = (t->object_class == CKO_CERTIFICATE)  ? CLS_CERT
                  : (t->object_class == CKO_PUBLIC_KEY) ? CLS_PUB
                                                        : CLS_PRIV;
    uint8_t kt = (t->key_type == CKK_EC) ? KT_EC : KT_RSA;
    for (size_t i = 0; i < RULE_COUNT; i++) {
        if ((t->present & ((uint64_t)1 << i)) == 0) {
            continue;
        }
        const struct rule *r = &rules[i];
        bool wrong_key = cls != CLS_CERT && r->key_types != 0 && (r->key_types & kt) == 0;
        if ((r->classes & cls) == 0 || wrong_key || (use != PKCS11_TEMPLATE_CREATE && r->material)) {
            return CKR_TEMPLATE_INCONSISTENT;
        }
    }
    return CKR_OK;
}

static bool has(const pkcs11_template_bytes_t *b)
{
    return b->present && b->length > 0;
}

/* The value attributes the class and key type need, for C_CreateObject. */
static CK_RV check_material(const pkcs11_template_t *t)
{
    bool complete;
    if (t->object_class == CKO_CERTIFICATE) {
        complete = has(&t->value);
    } else if (t->key_type == CKK_EC) {
        complete = has(&t->ec_params) && (t->object_class == CKO_PUBLIC_KEY ? has(&t->ec_point) : has(&t->value));
    } else {
        complete = has(&t->modulus) && has(&t->public_exponent);
        if (t->object_class == CKO_PRIVATE_KEY) {
            complete = complete && has(&t->private_exponent) && has(&t->prime_1) && has(&t->prime_2);
        }
    }
    return complete ? CKR_OK : CKR_TEMPLATE_INCOMPLETE;
}

/* Defaults for the flags the template did not name, and the rule that private keys are private. */
static CK_RV apply_flag_defaults(pkcs11_template_t *t)
{
    if (t->object_class == CKO_PRIVATE_KEY) {
        if ((t->flags_given & PKCS11_STORE_FLAG_PRIVATE) && !(t->flags & PKCS11_STORE_FLAG_PRIVATE)) {
            return CKR_ATTRIBUTE_VALUE_INVALID;
        }
        t->flags |= PKCS11_STORE_FLAG_PRIVATE;
        if (!(t->flags_given & PKCS11_STORE_FLAG_SIGN)) {
            t->flags |= PKCS11_STORE_FLAG_SIGN;
        }
    } else if (t->object_class == CKO_PUBLIC_KEY && !(t->flags_given & PKCS11_STORE_FLAG_VERIFY)) {
        t->flags |= PKCS11_STORE_FLAG_VERIFY;
    }
    return CKR_OK;
}

static CK_RV check_for_use(pkcs11_template_t *t, pkcs11_template_use_t use)
{
    CK_RV rv = (use == PKCS11_TEMPLATE_CREATE) ? settle_created(t) : settle_generated(t, use);
    if (rv == CKR_OK) {
        rv = check_membership(t, use);
    }
    if (rv != CKR_OK) {
        return rv;
    }
    if (!t->label.present && use != PKCS11_TEMPLATE_GENERATE_PUBLIC) {
        return CKR_TEMPLATE_INCOMPLETE; /* the store finds objects by label */
    }
    if (t->label.present && t->label.length == 0) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    if (use == PKCS11_TEMPLATE_CREATE) {
        rv = check_material(t);
    } else if (use == PKCS11_TEMPLATE_GENERATE_PUBLIC && !has(&t->ec_params)) {
        rv = CKR_TEMPLATE_INCOMPLETE;
    }
    if (rv != CKR_OK) {
        return rv;
    }
    if (t->ec_params.present && (t->ec_params.length != PKCS11_P256_OID_DER_SIZE ||
                                 memcmp(t->ec_params.bytes, pkcs11_p256_oid_der, PKCS11_P256_OID_DER_SIZE) != 0)) {
        return CKR_CURVE_NOT_SUPPORTED;
    }
    return apply_flag_defaults(t);
}

CK_RV pkcs11_template_parse(const CK_ATTRIBUTE *attributes, CK_ULONG count, pkcs11_template_use_t use,
                            pkcs11_template_t *out)
{
    if (out == NULL || (attributes == NULL && count > 0)) {
        return CKR_ARGUMENTS_BAD;
    }
    memset(out, 0, sizeof(*out));
    for (CK_ULONG i = 0; i < count; i++) {
        CK_RV rv = take_attribute(&attributes[i], out);
        if (rv != CKR_OK) {
            return rv;
        }
    }
    return check_for_use(out, use);
}

CK_RV pkcs11_find_compile(const CK_ATTRIBUTE *attributes, CK_ULONG count, pkcs11_find_query_t *query)
{
    if (query == NULL || (attributes == NULL && count > 0)) {
        return CKR_ARGUMENTS_BAD;
    }
    memset(query, 0, sizeof(*query));
    if (count > PKCS11_CONFIG_FIND_MAX_ATTRIBUTES) {
        return CKR_DEVICE_MEMORY;
    }
    size_t used = 0;
    for (CK_ULONG i = 0; i < count; i++) {
        const CK_ATTRIBUTE *a = &attributes[i];
        pkcs11_find_term_t *term = &query->terms[i];
        if (a->pValue == NULL && a->ulValueLen != 0) {
            return CKR_ARGUMENTS_BAD;
        }
        term->type = a->type;
        if (a->ulValueLen > PKCS11_CONFIG_MAX_OBJECT_SIZE) {
            term->never = true; /* no stored or derived value is that long */
            continue;
        }
        if (a->ulValueLen > sizeof(query->values) - used) {
            return CKR_DEVICE_MEMORY;
        }
        term->offset = (uint16_t)used;
        term->length = (uint16_t)a->ulValueLen;
        if (a->ulValueLen > 0) {
            memcpy(query->values + used, a->pValue, a->ulValueLen);
        }
        used += a->ulValueLen;
    }
    query->count = count;
    return CKR_OK;
}

bool pkcs11_find_matches(const pkcs11_find_query_t *query, pkcs11_find_lookup_t lookup, void *context)
{
    for (CK_ULONG i = 0; i < query->count; i++) {
        const pkcs11_find_term_t *term = &query->terms[i];
        const uint8_t *bytes = NULL;
        size_t length = 0;
        if (term->never || !lookup(context, term->type, &bytes, &length) || length != term->length) {
            return false;
        }
        if (length > 0 && memcmp(bytes, query->values + term->offset, length) != 0) {
            return false;
        }
    }
    return true;
}
