/* Alder template board: the PKCS#11 store and entropy source (pkcs11_pal.h; docs/porting/pkcs11.md).
 * It must never lose a key to a power cut, nor hand out predictable bytes: every save is atomic, and a failing source fails. */
#include <stddef.h>
#include <stdint.h>

#include "not_implemented.h"
#include "pkcs11_pal.h"

#define GUIDE "docs/porting/pkcs11.md"

/*
 * Prepare the store (mount the flash area, read its index) and settle a save that a power cut interrupted, so
 * that every label holds its complete old or complete new bytes. Handles issued before are forgotten. Return
 * CKR_OK, or CKR_DEVICE_ERROR when the store cannot be used (C_Initialize then fails with it).
 *
 * Template: fails, so the module never starts on a store that does not exist.
 */
CK_RV PKCS11_PAL_Initialize(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
    return CKR_DEVICE_ERROR;
}

/*
 * Store data_size bytes (1..PKCS11_CONFIG_MAX_OBJECT_SIZE) under the label (label->pValue, label->ulValueLen
 * bytes, not a C string), replacing what the label held, atomically: write the new copy elsewhere, then switch
 * to it. Copy the bytes before returning. Return the label's handle, 1..PKCS11_CONFIG_MAX_OBJECTS (the same one
 * if the label existed), or CK_INVALID_HANDLE on a bad argument, a full store or a failed write, with the old
 * object unchanged.
 */
CK_OBJECT_HANDLE PKCS11_PAL_SaveObject(CK_ATTRIBUTE_PTR label, CK_BYTE_PTR data, CK_ULONG data_size)
{
    (void)label, (void)data, (void)data_size;
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
    return CK_INVALID_HANDLE;
}

/* The handle of the object stored under label (label_len bytes), or CK_INVALID_HANDLE when there is none. */
CK_OBJECT_HANDLE PKCS11_PAL_FindObject(CK_BYTE_PTR label, CK_ULONG label_len)
{
    (void)label, (void)label_len;
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
    return CK_INVALID_HANDLE;
}

/*
 * Give the object's bytes exactly as saved: *data (a pointer into flash, or a RAM copy) and *data_size, valid
 * until PKCS11_PAL_GetObjectValueCleanup. *is_private = CK_TRUE only for labels kept in protected storage.
 * On any error *data is NULL and *data_size 0. Return CKR_OK, CKR_ARGUMENTS_BAD, CKR_OBJECT_HANDLE_INVALID,
 * CKR_DEVICE_ERROR or CKR_HOST_MEMORY (pkcs11_pal.h says when).
 */
CK_RV PKCS11_PAL_GetObjectValue(CK_OBJECT_HANDLE handle, CK_BYTE_PTR *data, CK_ULONG_PTR data_size,
                                CK_BBOOL *is_private)
{
    (void)handle, (void)is_private;
    if (data != NULL) {
        *data = NULL;
    }
    if (data_size != NULL) {
        *data_size = 0;
    }
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
    return CKR_DEVICE_ERROR;
}

/* Release what PKCS11_PAL_GetObjectValue gave; zero a RAM copy first (it may hold a private key). NULL: nothing. */
void PKCS11_PAL_GetObjectValueCleanup(CK_BYTE_PTR data, CK_ULONG data_size)
{
    (void)data, (void)data_size;
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
}

/* Delete the object, atomically (after a power cut it is whole or gone), and free its handle. Return CKR_OK,
 * CKR_OBJECT_HANDLE_INVALID for a handle that names no object, or CKR_DEVICE_ERROR. */
CK_RV PKCS11_PAL_DestroyObject(CK_OBJECT_HANDLE handle)
{
    (void)handle;
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
    return CKR_DEVICE_ERROR;
}

/*
 * Fill out with length bytes (at most 128 a call) of full entropy from a true random number generator: wait
 * for its "data ready" flag before every read, and run its health test. Return CKR_OK, CKR_ARGUMENTS_BAD when
 * out is NULL and length is not 0, or CKR_FUNCTION_FAILED when the source fails (never predictable bytes).
 *
 * Template: fails, so no key is ever made from weak randomness.
 */
CK_RV PKCS11_PAL_GetEntropy(uint8_t *out, size_t length)
{
    (void)out, (void)length;
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
    return CKR_FUNCTION_FAILED;
}
