/* Alder PKCS#11: small helpers for programs that use a token through its CK_FUNCTION_LIST (TLS, provisioning).
 * It must never leave a search open on the caller's session, and never need more than the standard C_* functions:
 * it drives any Cryptoki 2.40 module, not only Alder's. */
#ifndef PKCS11_CLIENT_H
#define PKCS11_CLIENT_H

#include "pkcs11.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Searches `session` for objects of `object_class` whose CKA_LABEL is `label` (a C string, compared without its
 * terminating NUL): up to `max` handles into `found`, how many into *count. Once C_FindObjectsInit has succeeded,
 * C_FindObjectsFinal is always called, so the session can start another operation whatever happened.
 * Returns the first code that is not CKR_OK: C_FindObjectsInit's, C_FindObjects's, then C_FindObjectsFinal's.
 * *count is 0 when C_FindObjectsInit or C_FindObjects failed; a failing C_FindObjectsFinal leaves it as found.
 */
CK_RV pkcs11_find_objects(CK_FUNCTION_LIST_PTR functions, CK_SESSION_HANDLE session, CK_OBJECT_CLASS object_class,
                          const char *label, CK_OBJECT_HANDLE *found, CK_ULONG max, CK_ULONG *count);

/*
 * The object of `object_class` under `label`: the first one the search gives, or CK_INVALID_HANDLE when there is
 * none or C_FindObjectsInit or C_FindObjects failed. A module that keeps one object per class and label (Alder's)
 * has no other; a caller that must tell duplicates apart uses pkcs11_find_objects.
 */
CK_OBJECT_HANDLE pkcs11_find_object(CK_FUNCTION_LIST_PTR functions, CK_SESSION_HANDLE session,
                                    CK_OBJECT_CLASS object_class, const char *label);

#ifdef __cplusplus
}
#endif

#endif /* PKCS11_CLIENT_H */
