/* Alder PKCS#11: the storage and entropy porting interface, the functions a board implements (docs/porting/pkcs11.md).
 * It must never carry a board's types or the module's record format: a PAL stores opaque bytes under a label. */
#ifndef PKCS11_PAL_H
#define PKCS11_PAL_H

#include <stddef.h>
#include <stdint.h>

#include "pkcs11.h"
#include "pkcs11_config_defaults.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The labels Alder's libraries and provisioning use. A label is a byte string, not NUL terminated in the
 * store: pass sizeof(label) - 1 as its length. */
#define PKCS11_LABEL_DEVICE_PRIVATE_KEY "Device Priv TLS Key"
#define PKCS11_LABEL_DEVICE_PUBLIC_KEY "Device Pub TLS Key"
#define PKCS11_LABEL_DEVICE_CERTIFICATE "Device Cert"
#define PKCS11_LABEL_ROOT_CERTIFICATE "Root Cert"
#define PKCS11_LABEL_CODE_VERIFICATION_KEY "Code Verify Key"
#define PKCS11_LABEL_JITP_CERTIFICATE "JITP Cert"

/*
 * Rules for every storage function below:
 * - The module calls them only between C_Initialize and C_Finalize, with its own lock held: never two at
 *   once, never from an interrupt. They may block (a flash erase) and may use the kernel.
 * - The stored bytes are opaque. The module writes its own record format (magic, version, lengths,
 *   CRC-32) and checks every byte it reads back, so a PAL need not understand or check them; it must
 *   only give back exactly what was saved, or report that it cannot.
 * - A handle is a small number, 1..PKCS11_CONFIG_MAX_OBJECTS, that names one label's object. The same
 *   label keeps the same handle until the object is destroyed or PKCS11_PAL_Initialize runs again. The
 *   module enumerates the store by asking for every handle in that range, so a PAL must never hand out
 *   a handle outside it. CK_INVALID_HANDLE (0) means "none".
 * - The module holds at most one value from PKCS11_PAL_GetObjectValue at a time, so a PAL may use a
 *   single buffer for it, and calls no other storage function until it has released it (only
 *   PKCS11_PAL_GetEntropy may run meanwhile), so a pointer into flash stays valid.
 */

/*
 * Prepare the storage. C_Initialize calls it first, every time (again after C_Finalize).
 * In:  nothing.
 * Out: handles issued before are no longer valid. A save that a power loss interrupted is settled here
 *      at the latest: afterwards each label has its complete old value or its complete new value.
 * Returns: CKR_OK; CKR_DEVICE_ERROR if the storage cannot be used (C_Initialize then fails with it).
 */
CK_RV PKCS11_PAL_Initialize(void);

/*
 * Store data under a label, replacing what that label held.
 * In:  label: an attribute of type CKA_LABEL whose pValue holds ulValueLen bytes,
 *      1..PKCS11_CONFIG_MAX_LABEL_LENGTH, any byte values (not a C string).
 *      data, data_size: 1..PKCS11_CONFIG_MAX_OBJECT_SIZE bytes. The PAL copies them before it returns;
 *      the module reuses and zeroes its buffer afterwards.
 * Out: the handle of the label's object (the same handle as before if the label existed).
 *      Atomic: if power is lost at any moment, a later read of that label gives the complete old bytes
 *      (or no object, if there was none) or the complete new bytes, never a mix or a prefix.
 * Returns: the handle; CK_INVALID_HANDLE if an argument is NULL or out of range, if every handle is in use
 *      by other labels, or if the write failed. On CK_INVALID_HANDLE the old object is unchanged. The PAL
 *      reports the reason through PKCS11_CONFIG_LOG.
 */
CK_OBJECT_HANDLE PKCS11_PAL_SaveObject(CK_ATTRIBUTE_PTR label, CK_BYTE_PTR data, CK_ULONG data_size);

/*
 * Find the object stored under a label.
 * In:  label, label_len: 1..PKCS11_CONFIG_MAX_LABEL_LENGTH bytes (not a C string).
 * Out: nothing else.
 * Returns: its handle; CK_INVALID_HANDLE if there is none, or if label is NULL or label_len out of range.
 */
CK_OBJECT_HANDLE PKCS11_PAL_FindObject(CK_BYTE_PTR label, CK_ULONG label_len);

/*
 * Read an object's bytes.
 * In:  handle: 1..PKCS11_CONFIG_MAX_OBJECTS.
 * Out: on CKR_OK, *data points to *data_size bytes (1..PKCS11_CONFIG_MAX_OBJECT_SIZE), exactly as last
 *      saved. They stay valid and unchanged until PKCS11_PAL_GetObjectValueCleanup(*data, *data_size);
 *      the module never writes through the pointer. *is_private = CK_TRUE makes the module treat the
 *      object as private (visible only after C_Login) whatever its record says; CK_FALSE leaves that to
 *      the record. A PAL that keeps some labels in protected storage may set it for them.
 *      On any error *data is NULL and *data_size is 0 (when those pointers are not NULL).
 * Returns: CKR_OK; CKR_ARGUMENTS_BAD if data, data_size or is_private is NULL; CKR_OBJECT_HANDLE_INVALID
 *      if the handle is out of range or names no object; CKR_DEVICE_ERROR if the storage could not be read
 *      or holds an impossible size (reported through PKCS11_CONFIG_LOG); CKR_HOST_MEMORY if the PAL had
 *      no buffer for it.
 */
CK_RV PKCS11_PAL_GetObjectValue(CK_OBJECT_HANDLE handle, CK_BYTE_PTR *data, CK_ULONG_PTR data_size,
                                CK_BBOOL *is_private);

/*
 * Release what PKCS11_PAL_GetObjectValue gave. A RAM copy must be zeroed first: it may hold a private
 * key. data == NULL does nothing. Never fails.
 */
void PKCS11_PAL_GetObjectValueCleanup(CK_BYTE_PTR data, CK_ULONG data_size);

/*
 * Delete an object. Atomic like a save: after a power loss the object is either complete or gone.
 * In:  handle: 1..PKCS11_CONFIG_MAX_OBJECTS.
 * Out: the handle is free for another label.
 * Returns: CKR_OK; CKR_OBJECT_HANDLE_INVALID if the handle is out of range or names no object;
 *      CKR_DEVICE_ERROR if the storage could not be changed (the object may still be there).
 */
CK_RV PKCS11_PAL_DestroyObject(CK_OBJECT_HANDLE handle);

/*
 * Fill out with length bytes of full entropy: a true random number generator, or a generator seeded
 * from one (docs/porting/pkcs11.md, "Entropy"). The module feeds them to its CTR_DRBG, at C_Initialize
 * and at every reseed; it asks for at most 128 bytes at a time. The calling rules above apply to it too.
 * Returns: CKR_OK; CKR_ARGUMENTS_BAD if out is NULL and length is not 0; CKR_FUNCTION_FAILED if the
 *      source failed or its health test did (the operation that needed randomness then fails).
 */
CK_RV PKCS11_PAL_GetEntropy(uint8_t *out, size_t length);

#ifdef __cplusplus
}
#endif

#endif /* PKCS11_PAL_H */
