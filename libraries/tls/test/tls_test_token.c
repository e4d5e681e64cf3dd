/* Alder TLS group: the PKCS#11 token as the cases see it (tls_test_token.h).
 * It must never read a private key's value: it only opens, lists and destroys. */
#include "tls_test_token.h"

#include "alder_test.h"
#include "pkcs11_config_defaults.h"

/* The most objects a case stores, with the public views of its keys. */
#define MOST_OBJECTS 16

void tls_test_token_ready(void)
{
    CK_FUNCTION_LIST_PTR token = NULL;
    CK_C_INITIALIZE_ARGS args = {.flags = CKF_OS_LOCKING_OK};
    TEST_ASSERT_EQ(CKR_OK, C_GetFunctionList(&token));
    CK_RV rv = token->C_Initialize(&args);
    if (rv == CKR_OK) {
        test_allow_heap_change();
    }
    TEST_ASSERT(rv == CKR_OK || rv == CKR_CRYPTOKI_ALREADY_INITIALIZED);
}

CK_FUNCTION_LIST_PTR tls_test_token_open(CK_SESSION_HANDLE *session)
{
    static const char pin[] = PKCS11_CONFIG_USER_PIN;
    CK_FUNCTION_LIST_PTR token = NULL;
    tls_test_token_ready();
    TEST_ASSERT_EQ(CKR_OK, C_GetFunctionList(&token));
    TEST_ASSERT_EQ(CKR_OK, token->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, session));
    CK_RV rv = token->C_Login(*session, CKU_USER, (CK_UTF8CHAR_PTR)pin, sizeof pin - 1);
    TEST_ASSERT(rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN);
    return token;
}

void tls_test_token_clear(CK_FUNCTION_LIST_PTR token, CK_SESSION_HANDLE session)
{
    CK_OBJECT_HANDLE found[MOST_OBJECTS];
    CK_ULONG count = 0;
    TEST_ASSERT_EQ(CKR_OK, token->C_FindObjectsInit(session, NULL, 0));
    TEST_ASSERT_EQ(CKR_OK, token->C_FindObjects(session, found, MOST_OBJECTS, &count));
    TEST_ASSERT_EQ(CKR_OK, token->C_FindObjectsFinal(session));
    for (CK_ULONG i = 0; i < count; i++) {
        /* A public view answers CKR_ACTION_PROHIBITED, or is already gone with its key. */
        CK_RV rv = token->C_DestroyObject(session, found[i]);
        TEST_ASSERT(rv == CKR_OK || rv == CKR_ACTION_PROHIBITED || rv == CKR_OBJECT_HANDLE_INVALID);
    }
}
