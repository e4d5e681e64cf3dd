/* Alder PKCS#11: attribute-template validation for C_CreateObject, C_GenerateKeyPair and C_FindObjectsInit.
 * It must never dereference a caller's pointer before checking it, keep a pointer past the call that gave it,
 * or depend on mbedTLS: it is pure, and fuzzed on the host. */
#ifndef PKCS11_TEMPLATE_H
#define PKCS11_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkcs11.h"
#include "pkcs11_config_defaults.h"

/* The DER of the named curve Alder supports, as CKA_EC_PARAMS carries it: OID 1.2.840.10045.3.1.7 (P-256). */
#define PKCS11_P256_OID_DER_SIZE 10u
extern const uint8_t pkcs11_p256_oid_der[PKCS11_P256_OID_DER_SIZE];

/* A byte-string attribute of the template: points into the caller's template. */
typedef struct {
    const uint8_t *bytes;
    size_t length;
    bool present;
} pkcs11_template_bytes_t;

/* What a template asks for, after pkcs11_template_parse. */
typedef struct {
    CK_OBJECT_CLASS object_class;
    CK_KEY_TYPE key_type;
    CK_CERTIFICATE_TYPE certificate_type;
    bool has_class, has_key_type, has_certificate_type;
    uint16_t flags;       /* PKCS11_STORE_FLAG_* the template set to CK_TRUE */
    uint16_t flags_given; /* PKCS11_STORE_FLAG_* the template named at all */
    pkcs11_template_bytes_t label, id, value, ec_params, ec_point;
    pkcs11_template_bytes_t modulus, public_exponent, private_exponent, prime_1, prime_2;
    uint64_t present; /* one bit per entry of the module's attribute table: which ones the template named */
} pkcs11_template_t;

/* What the template is for: each use allows different attributes. */
typedef enum {
    PKCS11_TEMPLATE_CREATE,          /* C_CreateObject: the object's value comes in the template */
    PKCS11_TEMPLATE_GENERATE_PUBLIC, /* C_GenerateKeyPair's public template: no key material */
    PKCS11_TEMPLATE_GENERATE_PRIVATE /* C_GenerateKeyPair's private template: no key material */
} pkcs11_template_use_t;

/*
 * Check a template and record what it asks for.
 * Returns CKR_OK, or the standard's code for the first problem found:
 *   CKR_ARGUMENTS_BAD (attributes NULL with count > 0, an attribute's pValue NULL with a length),
 *   CKR_ATTRIBUTE_TYPE_INVALID (a type this module does not know), CKR_ATTRIBUTE_READ_ONLY (CKA_LOCAL and
 *   the other attributes only the module sets), CKR_ATTRIBUTE_VALUE_INVALID (a wrong size, a value out of
 *   range, a value the module cannot honour such as CKA_EXTRACTABLE true), CKR_TEMPLATE_INCONSISTENT (an
 *   attribute twice, or one that does not belong to the class, key type or use), CKR_TEMPLATE_INCOMPLETE (a
 *   required attribute is missing), CKR_CURVE_NOT_SUPPORTED (CKA_EC_PARAMS other than P-256).
 * On CKR_OK, out holds the class and key type (filled in from the use for key-pair templates), the flags
 * with their defaults applied, and pointers into attributes.
 */
CK_RV pkcs11_template_parse(const CK_ATTRIBUTE *attributes, CK_ULONG count, pkcs11_template_use_t use,
                            pkcs11_template_t *out);

/* A C_FindObjectsInit template, copied into the session so the caller's memory is not needed later. */
typedef struct {
    CK_ATTRIBUTE_TYPE type;
    uint16_t offset; /* into values */
    uint16_t length;
    bool never; /* longer than any value the module stores: matches nothing */
} pkcs11_find_term_t;

typedef struct {
    CK_ULONG count;
    pkcs11_find_term_t terms[PKCS11_CONFIG_FIND_MAX_ATTRIBUTES];
    uint8_t values[PKCS11_CONFIG_FIND_VALUE_BYTES];
} pkcs11_find_query_t;

/*
 * Copy a search template. An empty template (count 0) matches every object.
 * Returns CKR_OK; CKR_ARGUMENTS_BAD if attributes is NULL with count > 0 or a pValue is NULL with a length;
 * CKR_DEVICE_MEMORY if there are more than PKCS11_CONFIG_FIND_MAX_ATTRIBUTES attributes or their values need
 * more than PKCS11_CONFIG_FIND_VALUE_BYTES.
 */
CK_RV pkcs11_find_compile(const CK_ATTRIBUTE *attributes, CK_ULONG count, pkcs11_find_query_t *query);

/* Gives an object's value of one attribute: true and (*bytes, *length) if the object has it and may reveal
 * it; false otherwise (such an attribute matches no search term). */
typedef bool (*pkcs11_find_lookup_t)(void *context, CK_ATTRIBUTE_TYPE type, const uint8_t **bytes, size_t *length);

/* True if the object that lookup describes matches every term of the query, byte for byte. */
bool pkcs11_find_matches(const pkcs11_find_query_t *query, pkcs11_find_lookup_t lookup, void *context);

#endif /* PKCS11_TEMPLATE_H */
