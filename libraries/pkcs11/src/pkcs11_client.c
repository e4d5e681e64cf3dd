/* Alder PKCS#11: helpers for programs that use a token through its function list (pkcs11_client.h).
 * It must never call the module's C_* symbols directly: only through the list it is given, so it works with any
 * module a program loaded, and is compiled into each program that uses it (no module of its own). */
#include "pkcs11_client.h"

#include <string.h>

CK_RV pkcs11_find_objects(CK_FUNCTION_LIST_PTR functions, CK_SESSION_HANDLE session, CK_OBJECT_CLASS object_class,
                          const char *label, CK_OBJECT_HANDLE *found, CK_ULONG max, CK_ULONG *count)
{
    CK_ATTRIBUTE search[] = {{CKA_CLASS, &object_class, sizeof object_class},
                             {CKA_LABEL, (CK_VOID_PTR)label, (CK_ULONG)strlen(label)}};
    *count = 0;
    CK_RV rv = functions->C_FindObjectsInit(session, search, 2);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = functions->C_FindObjects(session, found, max, count);
    if (rv != CKR_OK) {
        *count = 0; /* a module may have written part of an answer before it failed */
    }
    /* Always: an unfinished search would make the session's next C_FindObjectsInit fail. */
    CK_RV final_rv = functions->C_FindObjectsFinal(session);
    return rv != CKR_OK ? rv : final_rv;
}

CK_OBJECT_HANDLE pkcs11_find_object(CK_FUNCTION_LIST_PTR functions, CK_SESSION_HANDLE session,
                                    CK_OBJECT_CLASS object_class, const char *label)
{
    CK_OBJECT_HANDLE found = CK_INVALID_HANDLE;
    CK_ULONG count = 0;
    /* The return code is not needed: *count is 0 unless the search itself answered. */
    (void)pkcs11_find_objects(functions, session, object_class, label, &found, 1, &count);
    return count == 1 ? found : CK_INVALID_HANDLE;
}
