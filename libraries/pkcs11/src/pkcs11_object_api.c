/* Alder PKCS#11: the object functions: C_CreateObject, C_GenerateKeyPair, C_DestroyObject, C_GetAttributeValue
 * and the C_FindObjects trio.
 * It must never leave key material in its buffers after a call, nor let one label hold two objects of
 * different classes: the store finds objects by label, so a mixed-up label would hand out the wrong key. */
#include <string.h>

#include "mbedtls/platform_util.h"

#include "pkcs11.h"
#include "pkcs11_crypto.h"
#include "pkcs11_internal.h"
#include "pkcs11_object.h"
#include "pkcs11_pal.h"
#include "pkcs11_store.h"
#include "pkcs11_template.h"

/* An EC P-256 SubjectPublicKeyInfo is 91 bytes. */
#define PUBLIC_DER_SIZE 128u

/* Work buffers, used only with the module lock held (so one of each is enough), zeroed after each use:
 * static, since on a device 6 KB of stack per caller would cost more than 6 KB once. */
static uint8_t record_buffer[PKCS11_CONFIG_MAX_OBJECT_SIZE];
static uint8_t der_buffer[PKCS11_DER_BUFFER_SIZE];
static uint8_t public_der_buffer[PUBLIC_DER_SIZE];
static uint8_t scratch[PKCS11_ATTRIBUTE_SCRATCH_SIZE];

static uint8_t store_kind(CK_OBJECT_CLASS object_class)
{
    switch (object_class) {
    case CKO_CERTIFICATE:
        return PKCS11_STORE_KIND_CERTIFICATE;
    case CKO_PUBLIC_KEY:
        return PKCS11_STORE_KIND_PUBLIC_KEY;
    default:
        return PKCS11_STORE_KIND_PRIVATE_KEY;
    }
}

/* Session checks shared by every function that changes the store. */
static CK_RV writable_session(CK_SESSION_HANDLE handle)
{
    const pkcs11_session_t *session = pkcs11_session_get(handle);
    if (session == NULL) {
        return CKR_SESSION_HANDLE_INVALID;
    }
    if (!session->read_write) {
        return CKR_SESSION_READ_ONLY;
    }
    return pkcs11_module.logged_in ? CKR_OK : CKR_USER_NOT_LOGGED_IN;
}

/* A label may be (re)used for an object of the same class; a damaged object under it may be replaced. */
static CK_RV check_label(const pkcs11_template_bytes_t *label, CK_OBJECT_CLASS object_class)
{
    CK_OBJECT_HANDLE pal = PKCS11_PAL_FindObject((CK_BYTE_PTR)label->bytes, label->length);
    if (pal == CK_INVALID_HANDLE) {
        return CKR_OK;
    }
    pkcs11_object_t existing;
    CK_RV rv = pkcs11_object_open(pkcs11_handle_make(pal, false), &existing);
    if (rv != CKR_OK) {
        return (rv == CKR_DEVICE_ERROR || rv == CKR_OBJECT_HANDLE_INVALID) ? CKR_OK : rv;
    }
    CK_OBJECT_CLASS existing_class = pkcs11_object_class(&existing);
    pkcs11_object_close(&existing);
    return existing_class == object_class ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
}

static CK_RV save_record(const pkcs11_store_record_t *record, CK_OBJECT_HANDLE *pal)
{
    size_t size = 0;
    if (pkcs11_store_encode(record, record_buffer, sizeof(record_buffer), &size) != PKCS11_STORE_OK) {
        return CKR_DEVICE_MEMORY; /* larger than PKCS11_CONFIG_MAX_OBJECT_SIZE */
    }
    CK_ATTRIBUTE label = {CKA_LABEL, (CK_VOID_PTR)record->label, record->label_len};
    *pal = PKCS11_PAL_SaveObject(&label, record_buffer, size);
    mbedtls_platform_zeroize(record_buffer, size);
    return (*pal == CK_INVALID_HANDLE) ? CKR_DEVICE_ERROR : CKR_OK;
}

static CK_RV create_object(const CK_ATTRIBUTE *attributes, CK_ULONG count, CK_OBJECT_HANDLE_PTR object)
{
    pkcs11_template_t t;
    CK_RV rv = pkcs11_template_parse(attributes, count, PKCS11_TEMPLATE_CREATE, &t);
    if (rv == CKR_OK) {
        rv = check_label(&t.label, t.object_class);
    }
    pkcs11_store_record_t record = {0};
    if (rv == CKR_OK) {
        rv = pkcs11_crypto_value_from_template(&t, der_buffer, sizeof(der_buffer), &record.value, &record.value_len);
    }
    CK_OBJECT_HANDLE pal = CK_INVALID_HANDLE;
    if (rv == CKR_OK) {
        record.kind = store_kind(t.object_class);
        record.flags = t.flags;
        record.type = (uint32_t)(t.object_class == CKO_CERTIFICATE ? t.certificate_type : t.key_type);
        record.label = t.label.bytes;
        record.label_len = t.label.length;
        record.id = t.id.bytes;
        record.id_len = t.id.length;
        rv = save_record(&record, &pal);
    }
    mbedtls_platform_zeroize(der_buffer, sizeof(der_buffer));
    if (rv == CKR_OK) {
        *object = pkcs11_handle_make(pal, false);
    }
    return rv;
}

CK_RV C_CreateObject(CK_SESSION_HANDLE session, CK_ATTRIBUTE_PTR attributes, CK_ULONG count,
                     CK_OBJECT_HANDLE_PTR object)
{
    CK_RV rv = pkcs11_enter();
    if (rv != CKR_OK) {
        return rv;
    }
    rv = writable_session(session);
    if (rv == CKR_OK && (object == NULL || (attributes == NULL && count > 0))) {
        rv = CKR_ARGUMENTS_BAD;
    }
    if (rv == CKR_OK) {
        rv = create_object(attributes, count, object);
    }
    pkcs11_leave();
    return rv;
}

static bool same_bytes(const pkcs11_template_bytes_t *a, const pkcs11_template_bytes_t *b)
{
    return a->length == b->length && memcmp(a->bytes, b->bytes, a->length) == 0;
}

/* The records of a new key pair. The public key gets a record of its own only under a label of its own;
 * under the private key's label (or none) the private key's public-key view stands for it. */
static CK_RV save_key_pair(const pkcs11_template_t *pub, const pkcs11_template_t *priv, CK_OBJECT_HANDLE_PTR public_key,
                           CK_OBJECT_HANDLE_PTR private_key)
{
    bool separate = pub->label.present && !same_bytes(&pub->label, &priv->label);
    pkcs11_store_record_t record = {PKCS11_STORE_KIND_PRIVATE_KEY,
                                    (uint16_t)(priv->flags | PKCS11_STORE_FLAG_LOCAL),
                                    CKK_EC,
                                    priv->label.bytes,
                                    priv->label.length,
                                    priv->id.bytes,
                                    priv->id.length,
                                    NULL,
                                    0};
    pkcs11_store_record_t pub_record = {PKCS11_STORE_KIND_PUBLIC_KEY,
                                        (uint16_t)(pub->flags | PKCS11_STORE_FLAG_LOCAL),
                                        CKK_EC,
                                        pub->label.bytes,
                                        pub->label.length,
                                        pub->id.bytes,
                                        pub->id.length,
                                        NULL,
                                        0};
    CK_RV rv =
        pkcs11_crypto_generate_p256(der_buffer, sizeof(der_buffer), &record.value, &record.value_len, public_der_buffer,
                                    sizeof(public_der_buffer), &pub_record.value, &pub_record.value_len);
    CK_OBJECT_HANDLE priv_pal = CK_INVALID_HANDLE, pub_pal = CK_INVALID_HANDLE;
    if (rv == CKR_OK) {
        rv = save_record(&record, &priv_pal);
    }
    if (rv == CKR_OK && separate) {
        rv = save_record(&pub_record, &pub_pal);
        if (rv != CKR_OK) {
            (void)PKCS11_PAL_DestroyObject(priv_pal); /* both or neither */
        }
    }
    mbedtls_platform_zeroize(der_buffer, sizeof(der_buffer));
    if (rv == CKR_OK) {
        *private_key = pkcs11_handle_make(priv_pal, false);
        *public_key = separate ? pkcs11_handle_make(pub_pal, false) : pkcs11_handle_make(priv_pal, true);
    }
    return rv;
}

static CK_RV generate_key_pair(const CK_MECHANISM *mechanism, const CK_ATTRIBUTE *public_attributes,
                               CK_ULONG public_count, const CK_ATTRIBUTE *private_attributes, CK_ULONG private_count,
                               CK_OBJECT_HANDLE_PTR public_key, CK_OBJECT_HANDLE_PTR private_key)
{
    if (mechanism->mechanism != CKM_EC_KEY_PAIR_GEN) {
        return CKR_MECHANISM_INVALID;
    }
    if (mechanism->pParameter != NULL || mechanism->ulParameterLen != 0) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    pkcs11_template_t pub, priv;
    CK_RV rv = pkcs11_template_parse(public_attributes, public_count, PKCS11_TEMPLATE_GENERATE_PUBLIC, &pub);
    if (rv == CKR_OK) {
        rv = pkcs11_template_parse(private_attributes, private_count, PKCS11_TEMPLATE_GENERATE_PRIVATE, &priv);
    }
    if (rv == CKR_OK) {
        rv = check_label(&priv.label, CKO_PRIVATE_KEY);
    }
    if (rv == CKR_OK && pub.label.present && !same_bytes(&pub.label, &priv.label)) {
        rv = check_label(&pub.label, CKO_PUBLIC_KEY);
    }
    if (rv == CKR_OK) {
        rv = save_key_pair(&pub, &priv, public_key, private_key);
    }
    return rv;
}

CK_RV C_GenerateKeyPair(CK_SESSION_HANDLE session, CK_MECHANISM_PTR mechanism, CK_ATTRIBUTE_PTR public_attributes,
                        CK_ULONG public_count, CK_ATTRIBUTE_PTR private_attributes, CK_ULONG private_count,
                        CK_OBJECT_HANDLE_PTR public_key, CK_OBJECT_HANDLE_PTR private_key)
{
    CK_RV rv = pkcs11_enter();
    if (rv != CKR_OK) {
        return rv;
    }
    rv = writable_session(session);
    if (rv == CKR_OK && (mechanism == NULL || public_key == NULL || private_key == NULL)) {
        rv = CKR_ARGUMENTS_BAD;
    }
    if (rv == CKR_OK) {
        rv = generate_key_pair(mechanism, public_attributes, public_count, private_attributes, private_count,
                               public_key, private_key);
    }
    pkcs11_leave();
    return rv;
}

static CK_RV destroy_object(CK_OBJECT_HANDLE handle)
{
    pkcs11_object_t object;
    CK_RV rv = pkcs11_object_open(handle, &object);
    if (rv == CKR_DEVICE_ERROR && (handle & 1u) == 0) {
        /* A damaged record is reported and never used, but it may be removed. */
        return PKCS11_PAL_DestroyObject(handle / 2u);
    }
    if (rv != CKR_OK) {
        return rv;
    }
    bool view = object.view;
    pkcs11_object_close(&object);
    if (view) {
        return CKR_ACTION_PROHIBITED; /* CKA_DESTROYABLE is false: it goes with its private key */
    }
    rv = PKCS11_PAL_DestroyObject(handle / 2u);
    return (rv == CKR_OK || rv == CKR_OBJECT_HANDLE_INVALID) ? rv : CKR_DEVICE_ERROR;
}

CK_RV C_DestroyObject(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object)
{
    CK_RV rv = pkcs11_enter();
    if (rv != CKR_OK) {
        return rv;
    }
    rv = writable_session(session);
    if (rv == CKR_OK) {
        rv = destroy_object(object);
    }
    pkcs11_leave();
    return rv;
}

/* Fill one template entry by the standard's rules; returns the entry's own code. */
static CK_RV fill_attribute(pkcs11_object_t *object, CK_ATTRIBUTE *attribute)
{
    const uint8_t *bytes = NULL;
    size_t length = 0;
    CK_RV rv = pkcs11_object_attribute(object, attribute->type, scratch, &bytes, &length);
    if (rv != CKR_OK) {
        attribute->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return rv;
    }
    if (attribute->pValue == NULL) {
        attribute->ulValueLen = length;
        return CKR_OK;
    }
    if (attribute->ulValueLen < length) {
        attribute->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return CKR_BUFFER_TOO_SMALL;
    }
    if (length > 0) {
        memcpy(attribute->pValue, bytes, length);
    }
    attribute->ulValueLen = length;
    return CKR_OK;
}

/* Every entry is answered even after one fails (the standard); the call returns the first failure, and a
 * damaged object (CKR_DEVICE_ERROR) before any other. */
static CK_RV get_attributes(CK_OBJECT_HANDLE handle, CK_ATTRIBUTE *attributes, CK_ULONG count)
{
    pkcs11_object_t object;
    CK_RV rv = pkcs11_object_open(handle, &object);
    if (rv != CKR_OK) {
        return rv;
    }
    if (pkcs11_object_is_private(&object) && !pkcs11_module.logged_in) {
        pkcs11_object_close(&object);
        return CKR_OBJECT_HANDLE_INVALID; /* private objects do not exist for a public session */
    }
    rv = CKR_OK;
    bool damaged = false;
    for (CK_ULONG i = 0; i < count; i++) {
        CK_RV entry = fill_attribute(&object, &attributes[i]);
        damaged = damaged || entry == CKR_DEVICE_ERROR;
        if (rv == CKR_OK) {
            rv = entry;
        }
    }
    pkcs11_object_close(&object);
    mbedtls_platform_zeroize(scratch, sizeof(scratch));
    return damaged ? CKR_DEVICE_ERROR : rv;
}

CK_RV C_GetAttributeValue(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_PTR attributes,
                          CK_ULONG count)
{
    CK_RV rv = pkcs11_enter_session(session, NULL);
    if (rv != CKR_OK) {
        return rv;
    }
    if (attributes == NULL && count > 0) {
        rv = CKR_ARGUMENTS_BAD;
    } else {
        rv = get_attributes(object, attributes, count);
    }
    pkcs11_leave();
    return rv;
}

CK_RV C_FindObjectsInit(CK_SESSION_HANDLE session, CK_ATTRIBUTE_PTR attributes, CK_ULONG count)
{
    pkcs11_session_t *s = NULL;
    CK_RV rv = pkcs11_enter_session(session, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (s->find.active) {
        rv = CKR_OPERATION_ACTIVE;
    } else {
        rv = pkcs11_find_compile(attributes, count, &s->find.query);
        s->find.active = (rv == CKR_OK);
        s->find.next = pkcs11_handle_make(1, false);
    }
    pkcs11_leave();
    return rv;
}

static bool lookup_attribute(void *context, CK_ATTRIBUTE_TYPE type, const uint8_t **bytes, size_t *length)
{
    return pkcs11_object_attribute(context, type, scratch, bytes, length) == CKR_OK;
}

/* Walk the handles from where the last call stopped. Damaged records are skipped (and reported once per
 * walk, since a failed stored object also skips its view); private objects are skipped unless logged in. */
static void find_objects(pkcs11_session_t *s, CK_OBJECT_HANDLE_PTR objects, CK_ULONG max, CK_ULONG_PTR found)
{
    *found = 0;
    while (*found < max && s->find.next < PKCS11_HANDLE_LIMIT) {
        CK_OBJECT_HANDLE handle = s->find.next++;
        pkcs11_object_t object;
        if (pkcs11_object_open(handle, &object) != CKR_OK) {
            if ((handle & 1u) == 0) {
                s->find.next++;
            }
            continue;
        }
        bool visible = !pkcs11_object_is_private(&object) || pkcs11_module.logged_in;
        if (visible && pkcs11_find_matches(&s->find.query, lookup_attribute, &object)) {
            objects[(*found)++] = handle;
        }
        pkcs11_object_close(&object);
    }
    mbedtls_platform_zeroize(scratch, sizeof(scratch));
}

CK_RV C_FindObjects(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE_PTR objects, CK_ULONG max, CK_ULONG_PTR found)
{
    pkcs11_session_t *s = NULL;
    CK_RV rv = pkcs11_enter_session(session, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (objects == NULL || found == NULL) {
        rv = CKR_ARGUMENTS_BAD;
    } else if (!s->find.active) {
        rv = CKR_OPERATION_NOT_INITIALIZED;
    } else {
        find_objects(s, objects, max, found);
    }
    pkcs11_leave();
    return rv;
}

CK_RV C_FindObjectsFinal(CK_SESSION_HANDLE session)
{
    pkcs11_session_t *s = NULL;
    CK_RV rv = pkcs11_enter_session(session, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (!s->find.active) {
        rv = CKR_OPERATION_NOT_INITIALIZED;
    } else {
        memset(&s->find, 0, sizeof(s->find));
    }
    pkcs11_leave();
    return rv;
}
