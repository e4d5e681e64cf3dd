/* Alder PKCS#11: one stored object opened for use: its record read through the PAL and checked, its key or
 * certificate parsed on demand, and its attributes as C_GetAttributeValue and C_FindObjects see them.
 * It must never reveal a sensitive attribute, nor keep an object open past pkcs11_object_close. */
#ifndef PKCS11_OBJECT_H
#define PKCS11_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mbedtls/pk.h"
#include "mbedtls/x509_crt.h"

#include "pkcs11.h"
#include "pkcs11_store.h"

/* Room pkcs11_object_attribute needs for values it builds: an RSA-2048 SubjectPublicKeyInfo is 294 bytes. */
#define PKCS11_ATTRIBUTE_SCRATCH_SIZE 512u

typedef struct {
    CK_OBJECT_HANDLE pal_handle;
    bool view;        /* the public-key view of a stored private key */
    CK_BYTE_PTR data; /* from PKCS11_PAL_GetObjectValue, until pkcs11_object_close */
    CK_ULONG size;
    bool pal_private; /* the PAL asked for it to be treated as private */
    pkcs11_store_record_t record;
    uint8_t parse_state; /* whether key or certificate below is filled: 0 not yet, 1 yes, 2 it failed */
    mbedtls_pk_context key;
    mbedtls_x509_crt certificate;
} pkcs11_object_t;

/*
 * Open the object with this module handle. The PAL is read; the record is checked.
 * CKR_OK (close it later); CKR_OBJECT_HANDLE_INVALID (not a handle, no object, or a view of something
 * that is not a private key); CKR_DEVICE_ERROR (the PAL failed, or the stored record is damaged: reported
 * through PKCS11_CONFIG_LOG, never used); CKR_HOST_MEMORY (the PAL had no buffer).
 */
CK_RV pkcs11_object_open(CK_OBJECT_HANDLE handle, pkcs11_object_t *object);

/* Release everything open holds; zeroes what may be key material. Safe on a zeroed object. */
void pkcs11_object_close(pkcs11_object_t *object);

/* The class as the application sees it (a view is CKO_PUBLIC_KEY). */
CK_OBJECT_CLASS pkcs11_object_class(const pkcs11_object_t *object);

/* True if the object is visible and usable only after C_Login. */
bool pkcs11_object_is_private(const pkcs11_object_t *object);

/* The parsed key of a key object. CKR_OK; CKR_DEVICE_ERROR if the stored DER does not parse or is not a
 * key this module supports (reported, like a damaged record); CKR_KEY_TYPE_INCONSISTENT for a certificate. */
CK_RV pkcs11_object_key(pkcs11_object_t *object, mbedtls_pk_context **key);

/*
 * One attribute's value. On CKR_OK, *bytes and *length give it; they point into the object or into scratch
 * (PKCS11_ATTRIBUTE_SCRATCH_SIZE bytes) and are valid until either changes.
 * CKR_ATTRIBUTE_SENSITIVE (a private key's secret parts); CKR_ATTRIBUTE_TYPE_INVALID (the object has no
 * such attribute); CKR_DEVICE_ERROR (its stored value does not parse).
 */
CK_RV pkcs11_object_attribute(pkcs11_object_t *object, CK_ATTRIBUTE_TYPE type, uint8_t *scratch, const uint8_t **bytes,
                              size_t *length);

#endif /* PKCS11_OBJECT_H */
