/* Alder PKCS#11 host tests: a probe that loads a PKCS#11 module the way tools do (dlopen, C_GetFunctionList) and
 * asks it for a private key's value, which must be refused, and for its public key, which must be given.
 * It must never print key bytes: it reports return codes and lengths only.
 *
 * Usage: pkcs11_probe <module.so> <label> <pin>   (exit 0 when the module behaved) */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "pkcs11.h"

static CK_FUNCTION_LIST_PTR p11;

/* The private key (or its public view) with this label: the first match, or CK_INVALID_HANDLE. */
static CK_OBJECT_HANDLE find(CK_SESSION_HANDLE session, CK_OBJECT_CLASS object_class, const char *label)
{
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &object_class, sizeof(object_class)},
                        {CKA_LABEL, (CK_VOID_PTR)label, strlen(label)}};
    CK_OBJECT_HANDLE object = CK_INVALID_HANDLE;
    CK_ULONG found = 0;
    if (p11->C_FindObjectsInit(session, t, 2) != CKR_OK || p11->C_FindObjects(session, &object, 1, &found) != CKR_OK ||
        p11->C_FindObjectsFinal(session) != CKR_OK || found != 1) {
        return CK_INVALID_HANDLE;
    }
    return object;
}

static int check_private(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key)
{
    CK_BYTE value[512];
    CK_BBOOL sensitive = 0, extractable = 1;
    CK_ATTRIBUTE secret = {CKA_VALUE, value, sizeof(value)};
    CK_RV rv = p11->C_GetAttributeValue(session, key, &secret, 1);
    printf("probe: private key CKA_VALUE: rv=0x%lx length=%ld\n", rv, (long)secret.ulValueLen);
    CK_ATTRIBUTE flags[] = {{CKA_SENSITIVE, &sensitive, 1}, {CKA_EXTRACTABLE, &extractable, 1}};
    CK_RV flags_rv = p11->C_GetAttributeValue(session, key, flags, 2);
    printf("probe: private key CKA_SENSITIVE=%d CKA_EXTRACTABLE=%d (rv=0x%lx)\n", sensitive, extractable, flags_rv);
    return rv == CKR_ATTRIBUTE_SENSITIVE && secret.ulValueLen == CK_UNAVAILABLE_INFORMATION && flags_rv == CKR_OK &&
           sensitive == CK_TRUE && extractable == CK_FALSE;
}

/* The control: the same call on a public attribute of the same key pair works, so the refusal above is
 * the module's answer about sensitivity, not a broken call. */
static int check_public(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key)
{
    CK_BYTE point[128];
    CK_ATTRIBUTE a = {CKA_EC_POINT, point, sizeof(point)};
    CK_RV rv = p11->C_GetAttributeValue(session, key, &a, 1);
    printf("probe: public key CKA_EC_POINT: rv=0x%lx length=%ld\n", rv, (long)a.ulValueLen);
    return rv == CKR_OK && a.ulValueLen == 67;
}

static int probe(const char *label, const char *pin)
{
    CK_SESSION_HANDLE session;
    if (p11->C_Initialize(NULL) != CKR_OK ||
        p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session) != CKR_OK ||
        p11->C_Login(session, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin)) != CKR_OK) {
        printf("probe: cannot start a logged-in session\n");
        return 0;
    }
    CK_OBJECT_HANDLE private_key = find(session, CKO_PRIVATE_KEY, label);
    CK_OBJECT_HANDLE public_key = find(session, CKO_PUBLIC_KEY, label);
    if (private_key == CK_INVALID_HANDLE || public_key == CK_INVALID_HANDLE) {
        printf("probe: no key pair labelled '%s'\n", label);
        return 0;
    }
    int ok = check_private(session, private_key) && check_public(session, public_key);
    p11->C_Finalize(NULL);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s <module.so> <label> <pin>\n", argv[0]);
        return 2;
    }
    void *module = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (module == NULL) {
        fprintf(stderr, "probe: %s\n", dlerror());
        return 2;
    }
    CK_C_GetFunctionList get_list = NULL;
    *(void **)&get_list = dlsym(module, "C_GetFunctionList");
    if (get_list == NULL || get_list(&p11) != CKR_OK) {
        fprintf(stderr, "probe: no C_GetFunctionList\n");
        return 2;
    }
    int ok = probe(argv[2], argv[3]);
    printf("probe: %s\n", ok ? "private value refused, public value given: as required" : "FAILED");
    return ok ? 0 : 1;
}
