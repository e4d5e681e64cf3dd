/* Alder PKCS#11 host tests: the function list, C_Initialize's arguments and locking, slot, token and mechanism
 * information, sessions and login, and the answers before C_Initialize and for bad arguments.
 * It must never depend on another case's objects: each case starts from an empty store. */
#include <stddef.h>
#include <string.h>

#include "pkcs11.h"
#include "pkcs11_test_util.h"

/* ---- The function list ---- */

static void FunctionListHasEveryFunctionInOrder(void)
{
    CK_FUNCTION_LIST_PTR list = NULL;
    CHECK_RV(C_GetFunctionList(NULL), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_GetFunctionList(&list), CKR_OK);
    CHECK(list != NULL);
    CHECK(list->version.major == 2 && list->version.minor == 40);
    /* The structure is the version (padded to a pointer) and the 68 pointers. */
    CHECK(sizeof(CK_FUNCTION_LIST) == sizeof(void *) * (1 + PKCS11_FUNCTION_COUNT));
    /* Each slot holds the function of that name, at the n-th place (the list macro made both). */
    size_t index = 0;
#define CHECK_SLOT(name, params)                                                                                       \
    CHECK(list->name == name);                                                                                         \
    CHECK(offsetof(CK_FUNCTION_LIST, name) == sizeof(void *) * (1 + index));                                           \
    index++;
    PKCS11_FUNCTIONS(CHECK_SLOT)
#undef CHECK_SLOT
    CHECK(index == PKCS11_FUNCTION_COUNT);
    /* Spot checks against the standard's order, independent of the list macro. */
    CHECK(offsetof(CK_FUNCTION_LIST, C_Initialize) == sizeof(void *));
    CHECK(offsetof(CK_FUNCTION_LIST, C_GetFunctionList) == 4 * sizeof(void *));
    CHECK(offsetof(CK_FUNCTION_LIST, C_Login) == 19 * sizeof(void *));
    CHECK(offsetof(CK_FUNCTION_LIST, C_FindObjectsInit) == 27 * sizeof(void *));
    CHECK(offsetof(CK_FUNCTION_LIST, C_SignInit) == 43 * sizeof(void *));
    CHECK(offsetof(CK_FUNCTION_LIST, C_GenerateKeyPair) == 60 * sizeof(void *));
    CHECK(offsetof(CK_FUNCTION_LIST, C_WaitForSlotEvent) == 68 * sizeof(void *));
}

static void UnsupportedFunctionsSaySo(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_MECHANISM sha = {CKM_SHA256, NULL, 0};
    CK_ULONG length = 0;
    CK_BYTE byte = 0;
    CHECK_RV(C_InitToken(0, NULL, 0, NULL), CKR_FUNCTION_NOT_SUPPORTED);
    CHECK_RV(C_SetPIN(session, NULL, 0, NULL, 0), CKR_FUNCTION_NOT_SUPPORTED);
    CHECK_RV(C_CopyObject(session, 2, NULL, 0, NULL), CKR_FUNCTION_NOT_SUPPORTED);
    CHECK_RV(C_SetAttributeValue(session, 2, NULL, 0), CKR_FUNCTION_NOT_SUPPORTED);
    CHECK_RV(C_EncryptInit(session, &sha, 2), CKR_FUNCTION_NOT_SUPPORTED);
    CHECK_RV(C_DecryptInit(session, &sha, 2), CKR_FUNCTION_NOT_SUPPORTED);
    CHECK_RV(C_DigestUpdate(session, &byte, 1), CKR_FUNCTION_NOT_SUPPORTED);
    CHECK_RV(C_SignUpdate(session, &byte, 1), CKR_FUNCTION_NOT_SUPPORTED);
    CHECK_RV(C_VerifyFinal(session, &byte, 1), CKR_FUNCTION_NOT_SUPPORTED);
    CHECK_RV(C_GenerateKey(session, &sha, NULL, 0, NULL), CKR_FUNCTION_NOT_SUPPORTED);
    CHECK_RV(C_WrapKey(session, &sha, 2, 2, NULL, &length), CKR_FUNCTION_NOT_SUPPORTED);
    CHECK_RV(C_DeriveKey(session, &sha, 2, NULL, 0, NULL), CKR_FUNCTION_NOT_SUPPORTED);
    CHECK_RV(C_WaitForSlotEvent(CKF_DONT_BLOCK, NULL, NULL), CKR_FUNCTION_NOT_SUPPORTED);
    CHECK_RV(C_SeedRandom(session, &byte, 1), CKR_RANDOM_SEED_NOT_SUPPORTED);
    CHECK_RV(C_GetFunctionStatus(session), CKR_FUNCTION_NOT_PARALLEL);
    CHECK_RV(C_CancelFunction(session), CKR_FUNCTION_NOT_PARALLEL);
}

/* ---- Life cycle ---- */

static void EveryFunctionNeedsInitialize(void)
{
    CK_INFO info;
    CK_ULONG count = 0;
    CK_SESSION_HANDLE session = 0;
    CK_MECHANISM sha = {CKM_SHA256, NULL, 0};
    CK_BYTE byte = 0;
    CHECK_RV(C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
    CHECK_RV(C_GetSlotList(CK_TRUE, NULL, &count), CKR_CRYPTOKI_NOT_INITIALIZED);
    CHECK_RV(C_GetTokenInfo(0, NULL), CKR_CRYPTOKI_NOT_INITIALIZED);
    CHECK_RV(C_GetMechanismList(0, NULL, &count), CKR_CRYPTOKI_NOT_INITIALIZED);
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session), CKR_CRYPTOKI_NOT_INITIALIZED);
    CHECK_RV(C_Login(1, CKU_USER, (CK_UTF8CHAR_PTR) "0000", 4), CKR_CRYPTOKI_NOT_INITIALIZED);
    CHECK_RV(C_FindObjectsInit(1, NULL, 0), CKR_CRYPTOKI_NOT_INITIALIZED);
    CHECK_RV(C_DigestInit(1, &sha), CKR_CRYPTOKI_NOT_INITIALIZED);
    CHECK_RV(C_GenerateRandom(1, &byte, 1), CKR_CRYPTOKI_NOT_INITIALIZED);
    CHECK_RV(C_Finalize(NULL), CKR_CRYPTOKI_NOT_INITIALIZED);
}

static void InitializeAndFinalizeRules(void)
{
    CHECK_RV(C_Initialize(NULL), CKR_OK);
    CHECK_RV(C_Initialize(NULL), CKR_CRYPTOKI_ALREADY_INITIALIZED);
    int reserved = 0;
    CHECK_RV(C_Finalize(&reserved), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_Finalize(NULL), CKR_OK);
    CHECK_RV(C_Finalize(NULL), CKR_CRYPTOKI_NOT_INITIALIZED);
    /* Again, after a C_Finalize. */
    CHECK_RV(C_Initialize(NULL), CKR_OK);
    CHECK_RV(C_Finalize(NULL), CKR_OK);
}

static int mutexes_created, mutexes_destroyed, locks, unlocks;
static int fake_mutex;

static CK_RV count_create(CK_VOID_PTR_PTR mutex)
{
    mutexes_created++;
    *mutex = &fake_mutex;
    return CKR_OK;
}
static CK_RV count_destroy(CK_VOID_PTR mutex)
{
    CHECK(mutex == &fake_mutex);
    mutexes_destroyed++;
    return CKR_OK;
}
static CK_RV count_lock(CK_VOID_PTR mutex)
{
    CHECK(mutex == &fake_mutex);
    CHECK(locks == unlocks); /* never taken twice: the module does not nest its lock */
    locks++;
    return CKR_OK;
}
static CK_RV count_unlock(CK_VOID_PTR mutex)
{
    CHECK(mutex == &fake_mutex);
    unlocks++;
    return CKR_OK;
}

static void InitializeUsesTheApplicationsMutexes(void)
{
    CK_C_INITIALIZE_ARGS args = {count_create, count_destroy, count_lock, count_unlock, 0, NULL};
    mutexes_created = mutexes_destroyed = locks = unlocks = 0;
    CHECK_RV(C_Initialize(&args), CKR_OK);
    CHECK(mutexes_created == 1);
    CK_SESSION_HANDLE session;
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session), CKR_OK);
    CHECK_RV(C_CloseSession(session), CKR_OK);
    CHECK(locks >= 2 && locks == unlocks);
    CHECK_RV(C_Finalize(NULL), CKR_OK);
    CHECK(mutexes_destroyed == 1 && locks == unlocks);
}

static void InitializeArgumentsAreChecked(void)
{
    CK_C_INITIALIZE_ARGS some = {count_create, NULL, count_lock, count_unlock, 0, NULL};
    CHECK_RV(C_Initialize(&some), CKR_ARGUMENTS_BAD);
    int reserved = 0;
    CK_C_INITIALIZE_ARGS with_reserved = {NULL, NULL, NULL, NULL, CKF_OS_LOCKING_OK, &reserved};
    CHECK_RV(C_Initialize(&with_reserved), CKR_ARGUMENTS_BAD);
    CK_C_INITIALIZE_ARGS os_locking = {NULL, NULL, NULL, NULL, CKF_OS_LOCKING_OK, NULL};
    CHECK_RV(C_Initialize(&os_locking), CKR_OK);
    CHECK_RV(C_Finalize(NULL), CKR_OK);
    CK_C_INITIALIZE_ARGS no_threads = {NULL, NULL, NULL, NULL, CKF_LIBRARY_CANT_CREATE_OS_THREADS, NULL};
    CHECK_RV(C_Initialize(&no_threads), CKR_OK);
}

/* ---- Information ---- */

static bool padded(const CK_UTF8CHAR *field, size_t size, const char *text)
{
    size_t length = strlen(text);
    if (length > size || memcmp(field, text, length) != 0) {
        return false;
    }
    for (size_t i = length; i < size; i++) {
        if (field[i] != ' ') {
            return false;
        }
    }
    return true;
}

static void InfoDescribesTheModule(void)
{
    CHECK_RV(C_Initialize(NULL), CKR_OK);
    CK_INFO info;
    CHECK_RV(C_GetInfo(NULL), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_GetInfo(&info), CKR_OK);
    CHECK(info.cryptokiVersion.major == 2 && info.cryptokiVersion.minor == 40);
    CHECK(padded(info.manufacturerID, sizeof(info.manufacturerID), "Alder"));
    CHECK(padded(info.libraryDescription, sizeof(info.libraryDescription), "Alder PKCS#11 module"));
    CHECK(info.libraryVersion.major == 0 && info.libraryVersion.minor == 1);
    CHECK(info.flags == 0);
}

static void OneSlotWithItsToken(void)
{
    CHECK_RV(C_Initialize(NULL), CKR_OK);
    CK_SLOT_ID slots[2] = {99, 99};
    CK_ULONG count = 0;
    CHECK_RV(C_GetSlotList(CK_TRUE, NULL, NULL), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_GetSlotList(CK_TRUE, NULL, &count), CKR_OK);
    CHECK(count == 1);
    count = 0;
    CHECK_RV(C_GetSlotList(CK_FALSE, slots, &count), CKR_BUFFER_TOO_SMALL);
    CHECK(count == 1);
    count = 2;
    CHECK_RV(C_GetSlotList(CK_TRUE, slots, &count), CKR_OK);
    CHECK(count == 1 && slots[0] == 0 && slots[1] == 99);
    CK_SLOT_INFO slot;
    CHECK_RV(C_GetSlotInfo(1, &slot), CKR_SLOT_ID_INVALID);
    CHECK_RV(C_GetSlotInfo(0, NULL), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_GetSlotInfo(0, &slot), CKR_OK);
    CHECK(slot.flags == CKF_TOKEN_PRESENT);
    CHECK(padded(slot.slotDescription, sizeof(slot.slotDescription), "Alder PKCS#11 slot"));
    CK_TOKEN_INFO token;
    CHECK_RV(C_GetTokenInfo(7, &token), CKR_SLOT_ID_INVALID);
    CHECK_RV(C_GetTokenInfo(0, NULL), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_GetTokenInfo(0, &token), CKR_OK);
    CHECK(padded(token.label, sizeof(token.label), "Alder PKCS11 token"));
    CHECK(token.flags == (CKF_RNG | CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED | CKF_TOKEN_INITIALIZED));
    CHECK(token.ulMinPinLen == 4 && token.ulMaxPinLen == 4);
    CHECK(token.ulSessionCount == 0 && token.ulMaxSessionCount == 16);
    CK_SESSION_HANDLE a, b;
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &a), CKR_OK);
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &b), CKR_OK);
    CHECK_RV(C_GetTokenInfo(0, &token), CKR_OK);
    CHECK(token.ulSessionCount == 2 && token.ulRwSessionCount == 1);
}

static void MechanismsAndTheirInformation(void)
{
    CHECK_RV(C_Initialize(NULL), CKR_OK);
    CK_MECHANISM_TYPE list[8];
    CK_ULONG count = 0;
    CHECK_RV(C_GetMechanismList(1, NULL, &count), CKR_SLOT_ID_INVALID);
    CHECK_RV(C_GetMechanismList(0, NULL, NULL), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_GetMechanismList(0, NULL, &count), CKR_OK);
    CHECK(count == 4);
    count = 3;
    CHECK_RV(C_GetMechanismList(0, list, &count), CKR_BUFFER_TOO_SMALL);
    CHECK(count == 4);
    count = 8;
    CHECK_RV(C_GetMechanismList(0, list, &count), CKR_OK);
    CHECK(count == 4 && list[0] == CKM_EC_KEY_PAIR_GEN && list[1] == CKM_ECDSA && list[2] == CKM_RSA_PKCS &&
          list[3] == CKM_SHA256);
    CK_MECHANISM_INFO info;
    CHECK_RV(C_GetMechanismInfo(0, CKM_ECDSA, NULL), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_GetMechanismInfo(0, CKM_SHA_1, &info), CKR_MECHANISM_INVALID);
    CHECK_RV(C_GetMechanismInfo(3, CKM_ECDSA, &info), CKR_SLOT_ID_INVALID);
    CHECK_RV(C_GetMechanismInfo(0, CKM_ECDSA, &info), CKR_OK);
    CHECK(info.ulMinKeySize == 256 && info.ulMaxKeySize == 256 && (info.flags & CKF_SIGN) && (info.flags & CKF_VERIFY));
    CHECK_RV(C_GetMechanismInfo(0, CKM_RSA_PKCS, &info), CKR_OK);
    CHECK(info.ulMinKeySize == 2048 && (info.flags & CKF_SIGN) && !(info.flags & CKF_DECRYPT));
    CHECK_RV(C_GetMechanismInfo(0, CKM_EC_KEY_PAIR_GEN, &info), CKR_OK);
    CHECK(info.flags & CKF_GENERATE_KEY_PAIR);
    CHECK_RV(C_GetMechanismInfo(0, CKM_SHA256, &info), CKR_OK);
    CHECK(info.flags == CKF_DIGEST);
}

/* ---- Sessions and login ---- */

static void SessionsOpenAndClose(void)
{
    CHECK_RV(C_Initialize(NULL), CKR_OK);
    CK_SESSION_HANDLE session = 0;
    CHECK_RV(C_OpenSession(1, CKF_SERIAL_SESSION, NULL, NULL, &session), CKR_SLOT_ID_INVALID);
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, NULL), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_OpenSession(0, CKF_RW_SESSION, NULL, NULL, &session), CKR_SESSION_PARALLEL_NOT_SUPPORTED);
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session), CKR_OK);
    CK_SESSION_INFO info;
    CHECK_RV(C_GetSessionInfo(session, NULL), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_GetSessionInfo(session, &info), CKR_OK);
    CHECK(info.slotID == 0 && info.state == CKS_RO_PUBLIC_SESSION && info.flags == CKF_SERIAL_SESSION);
    CHECK_RV(C_CloseSession(session), CKR_OK);
    CHECK_RV(C_CloseSession(session), CKR_SESSION_HANDLE_INVALID);
    CHECK_RV(C_GetSessionInfo(session, &info), CKR_SESSION_HANDLE_INVALID);
    CHECK_RV(C_CloseSession(0), CKR_SESSION_HANDLE_INVALID);
    CHECK_RV(C_CloseSession(12345), CKR_SESSION_HANDLE_INVALID);
    /* As many as the configuration allows, then CKR_SESSION_COUNT. */
    CK_SESSION_HANDLE all[16];
    for (int i = 0; i < 16; i++) {
        CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &all[i]), CKR_OK);
    }
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session), CKR_SESSION_COUNT);
    CHECK_RV(C_CloseAllSessions(5), CKR_SLOT_ID_INVALID);
    CHECK_RV(C_CloseAllSessions(0), CKR_OK);
    CHECK_RV(C_CloseSession(all[3]), CKR_SESSION_HANDLE_INVALID);
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session), CKR_OK);
}

static void LoginWithTheUserPin(void)
{
    CHECK_RV(C_Initialize(NULL), CKR_OK);
    CK_SESSION_HANDLE ro, rw;
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro), CKR_OK);
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &rw), CKR_OK);
    CHECK_RV(C_Login(99, CKU_USER, (CK_UTF8CHAR_PTR) "0000", 4), CKR_SESSION_HANDLE_INVALID);
    CHECK_RV(C_Login(ro, CKU_SO, (CK_UTF8CHAR_PTR) "0000", 4), CKR_USER_TYPE_INVALID);
    CHECK_RV(C_Login(ro, CKU_CONTEXT_SPECIFIC, (CK_UTF8CHAR_PTR) "0000", 4), CKR_OPERATION_NOT_INITIALIZED);
    CHECK_RV(C_Login(ro, CKU_USER, NULL, 4), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_Login(ro, CKU_USER, (CK_UTF8CHAR_PTR) "0001", 4), CKR_PIN_INCORRECT);
    CHECK_RV(C_Login(ro, CKU_USER, (CK_UTF8CHAR_PTR) "000", 3), CKR_PIN_INCORRECT);
    CHECK_RV(C_Login(ro, CKU_USER, (CK_UTF8CHAR_PTR) "00000", 5), CKR_PIN_INCORRECT);
    CHECK_RV(C_Logout(ro), CKR_USER_NOT_LOGGED_IN);
    CHECK_RV(C_Login(ro, CKU_USER, (CK_UTF8CHAR_PTR) "0000", 4), CKR_OK);
    CHECK_RV(C_Login(rw, CKU_USER, (CK_UTF8CHAR_PTR) "0000", 4), CKR_USER_ALREADY_LOGGED_IN);
    /* The login belongs to the application: every session sees it. */
    CK_SESSION_INFO info;
    CHECK_RV(C_GetSessionInfo(ro, &info), CKR_OK);
    CHECK(info.state == CKS_RO_USER_FUNCTIONS);
    CHECK_RV(C_GetSessionInfo(rw, &info), CKR_OK);
    CHECK(info.state == CKS_RW_USER_FUNCTIONS);
    CHECK_RV(C_Logout(99), CKR_SESSION_HANDLE_INVALID);
    CHECK_RV(C_Logout(rw), CKR_OK);
    CHECK_RV(C_GetSessionInfo(ro, &info), CKR_OK);
    CHECK(info.state == CKS_RO_PUBLIC_SESSION);
    /* Closing the last session ends the login. */
    CHECK_RV(C_Login(ro, CKU_USER, (CK_UTF8CHAR_PTR) "0000", 4), CKR_OK);
    CHECK_RV(C_CloseSession(ro), CKR_OK);
    CHECK_RV(C_GetSessionInfo(rw, &info), CKR_OK);
    CHECK(info.state == CKS_RW_USER_FUNCTIONS);
    CHECK_RV(C_CloseSession(rw), CKR_OK);
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro), CKR_OK);
    CHECK_RV(C_GetSessionInfo(ro, &info), CKR_OK);
    CHECK(info.state == CKS_RO_PUBLIC_SESSION);
}

static void RandomBytes(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_BYTE a[64] = {0}, b[64] = {0}, zero[64] = {0};
    CK_BYTE big[5000];
    CHECK_RV(C_GenerateRandom(99, a, sizeof(a)), CKR_SESSION_HANDLE_INVALID);
    CHECK_RV(C_GenerateRandom(session, NULL, 1), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_GenerateRandom(session, NULL, 0), CKR_OK);
    CHECK_RV(C_GenerateRandom(session, a, sizeof(a)), CKR_OK);
    CHECK_RV(C_GenerateRandom(session, b, sizeof(b)), CKR_OK);
    CHECK(memcmp(a, b, sizeof(a)) != 0 && memcmp(a, zero, sizeof(a)) != 0);
    CHECK_RV(C_GenerateRandom(session, big, sizeof(big)), CKR_OK); /* more than one DRBG request */
}

int main(void)
{
    RUN(Pkcs11General, FunctionListHasEveryFunctionInOrder);
    RUN(Pkcs11General, UnsupportedFunctionsSaySo);
    RUN(Pkcs11General, EveryFunctionNeedsInitialize);
    RUN(Pkcs11General, InitializeAndFinalizeRules);
    RUN(Pkcs11General, InitializeUsesTheApplicationsMutexes);
    RUN(Pkcs11General, InitializeArgumentsAreChecked);
    RUN(Pkcs11General, InfoDescribesTheModule);
    RUN(Pkcs11General, OneSlotWithItsToken);
    RUN(Pkcs11General, MechanismsAndTheirInformation);
    RUN(Pkcs11General, SessionsOpenAndClose);
    RUN(Pkcs11General, LoginWithTheUserPin);
    RUN(Pkcs11General, RandomBytes);
    return test_summary();
}
