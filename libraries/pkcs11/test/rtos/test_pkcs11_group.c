/* Alder qualification group PKCS11: the module's C_* functions on the board's storage PAL, inside the RTOS: life
 * cycle, information, sessions and login, every kind of object, searches, the sensitive-attribute rule, the standard
 * labels, persistence across C_Finalize/C_Initialize, a full store, and sessions used from several tasks at once.
 * It must never assume a store it did not empty itself, nor leave an object behind: a device's flash keeps both. */
#include <string.h>

#include "alder_test.h"
#include "pkcs11.h"
#include "pkcs11_group_util.h"
#include "pkcs11_test_vectors.h"
#include "semphr.h"
#include "task.h"

/* The concurrency case: up to this many signing tasks (fewer when the configuration has fewer sessions), and
 * the rounds each task and the object-changing task run. */
#ifndef TEST_PKCS11_SIGNING_TASKS
#define TEST_PKCS11_SIGNING_TASKS 4
#endif
#ifndef TEST_PKCS11_CONCURRENT_ROUNDS
#define TEST_PKCS11_CONCURRENT_ROUNDS 20
#endif
/* How long the case waits for its tasks, in milliseconds of kernel time (the tick may lag the wall clock). */
#ifndef TEST_PKCS11_CONCURRENT_WAIT_MS
#define TEST_PKCS11_CONCURRENT_WAIT_MS 60000
#endif

static const CK_BYTE p256_oid[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
static const CK_BYTE p384_oid[] = {0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22};

/* True when a blank-padded PKCS#11 text field holds exactly text. */
static bool padded_equals(const CK_UTF8CHAR *field, size_t size, const char *text)
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

/* "<prefix><number>" into out (a label made without snprintf, which a bare-metal C library may lack). */
static void numbered_label(char *out, size_t size, const char *prefix, unsigned number)
{
    char digits[12];
    size_t count = 0;
    do {
        digits[count++] = (char)('0' + number % 10u);
        number /= 10u;
    } while (number != 0 && count < sizeof(digits));
    size_t at = strlen(prefix);
    TEST_ASSERT(at + count < size);
    memcpy(out, prefix, at);
    while (count > 0) {
        out[at++] = digits[--count];
    }
    out[at] = '\0';
}

/* ---- The function list and life cycle ---- */

TEST(PKCS11, FunctionListHoldsEveryFunction)
{
    (void)pkcs11_group_begin();
    CK_FUNCTION_LIST_PTR list = NULL;
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_GetFunctionList(NULL));
    TEST_ASSERT_RV(CKR_OK, C_GetFunctionList(&list));
    TEST_ASSERT_NOT_NULL(list);
    TEST_ASSERT_EQ(2, list->version.major);
    TEST_ASSERT_EQ(40, list->version.minor);
    /* Every member is the function of its name (the list and the structure come from one macro list). */
#define CHECK_MEMBER(name, parameters) TEST_ASSERT(list->name == name);
    PKCS11_FUNCTIONS(CHECK_MEMBER)
#undef CHECK_MEMBER
    /* A caller that only has the list reaches the module through it. */
    CK_INFO info;
    TEST_ASSERT_RV(CKR_OK, list->C_GetInfo(&info));
    pkcs11_group_end();
}

TEST(PKCS11, UnsupportedFunctionsSaySo)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_MECHANISM sha256 = {CKM_SHA256, NULL, 0};
    CK_ULONG length = 0;
    CK_BYTE byte = 0;
    TEST_ASSERT_RV(CKR_FUNCTION_NOT_SUPPORTED, C_InitToken(0, NULL, 0, NULL));
    TEST_ASSERT_RV(CKR_FUNCTION_NOT_SUPPORTED, C_InitPIN(session, NULL, 0));
    TEST_ASSERT_RV(CKR_FUNCTION_NOT_SUPPORTED, C_SetPIN(session, NULL, 0, NULL, 0));
    TEST_ASSERT_RV(CKR_FUNCTION_NOT_SUPPORTED, C_CopyObject(session, 2, NULL, 0, NULL));
    TEST_ASSERT_RV(CKR_FUNCTION_NOT_SUPPORTED, C_SetAttributeValue(session, 2, NULL, 0));
    TEST_ASSERT_RV(CKR_FUNCTION_NOT_SUPPORTED, C_EncryptInit(session, &sha256, 2));
    TEST_ASSERT_RV(CKR_FUNCTION_NOT_SUPPORTED, C_DecryptInit(session, &sha256, 2));
    TEST_ASSERT_RV(CKR_FUNCTION_NOT_SUPPORTED, C_DigestUpdate(session, &byte, 1));
    TEST_ASSERT_RV(CKR_FUNCTION_NOT_SUPPORTED, C_SignUpdate(session, &byte, 1));
    TEST_ASSERT_RV(CKR_FUNCTION_NOT_SUPPORTED, C_VerifyFinal(session, &byte, 1));
    TEST_ASSERT_RV(CKR_FUNCTION_NOT_SUPPORTED, C_GenerateKey(session, &sha256, NULL, 0, NULL));
    TEST_ASSERT_RV(CKR_FUNCTION_NOT_SUPPORTED, C_WrapKey(session, &sha256, 2, 2, NULL, &length));
    TEST_ASSERT_RV(CKR_FUNCTION_NOT_SUPPORTED, C_DeriveKey(session, &sha256, 2, NULL, 0, NULL));
    TEST_ASSERT_RV(CKR_FUNCTION_NOT_SUPPORTED, C_WaitForSlotEvent(CKF_DONT_BLOCK, NULL, NULL));
    TEST_ASSERT_RV(CKR_RANDOM_SEED_NOT_SUPPORTED, C_SeedRandom(session, &byte, 1));
    TEST_ASSERT_RV(CKR_FUNCTION_NOT_PARALLEL, C_GetFunctionStatus(session));
    TEST_ASSERT_RV(CKR_FUNCTION_NOT_PARALLEL, C_CancelFunction(session));
    pkcs11_group_end();
}

TEST(PKCS11, EveryFunctionNeedsInitialize)
{
    (void)pkcs11_group_begin();
    TEST_ASSERT_RV(CKR_OK, C_Finalize(NULL));
    CK_INFO info;
    CK_TOKEN_INFO token;
    CK_ULONG count = 0;
    CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
    CK_MECHANISM sha256 = {CKM_SHA256, NULL, 0};
    CK_BYTE byte = 0;
    TEST_ASSERT_RV(CKR_CRYPTOKI_NOT_INITIALIZED, C_GetInfo(&info));
    TEST_ASSERT_RV(CKR_CRYPTOKI_NOT_INITIALIZED, C_GetSlotList(CK_TRUE, NULL, &count));
    TEST_ASSERT_RV(CKR_CRYPTOKI_NOT_INITIALIZED, C_GetTokenInfo(0, &token));
    TEST_ASSERT_RV(CKR_CRYPTOKI_NOT_INITIALIZED, C_GetMechanismList(0, NULL, &count));
    TEST_ASSERT_RV(CKR_CRYPTOKI_NOT_INITIALIZED, C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session));
    TEST_ASSERT_RV(CKR_CRYPTOKI_NOT_INITIALIZED, C_Login(1, CKU_USER, PKCS11_GROUP_PIN, PKCS11_GROUP_PIN_LENGTH));
    TEST_ASSERT_RV(CKR_CRYPTOKI_NOT_INITIALIZED, C_FindObjectsInit(1, NULL, 0));
    TEST_ASSERT_RV(CKR_CRYPTOKI_NOT_INITIALIZED, C_DigestInit(1, &sha256));
    TEST_ASSERT_RV(CKR_CRYPTOKI_NOT_INITIALIZED, C_GenerateRandom(1, &byte, 1));
    TEST_ASSERT_RV(CKR_CRYPTOKI_NOT_INITIALIZED, C_Finalize(NULL));
    pkcs11_group_end();
}

static int mutexes_created, mutexes_destroyed, locks, unlocks;

/* The application's own locking, on kernel mutexes, counted. */
static CK_RV app_create(CK_VOID_PTR_PTR mutex)
{
    SemaphoreHandle_t created = xSemaphoreCreateMutex();
    if (created == NULL) {
        return CKR_HOST_MEMORY;
    }
    mutexes_created++;
    *mutex = created;
    return CKR_OK;
}

static CK_RV app_destroy(CK_VOID_PTR mutex)
{
    mutexes_destroyed++;
    vSemaphoreDelete((SemaphoreHandle_t)mutex);
    return CKR_OK;
}

static CK_RV app_lock(CK_VOID_PTR mutex)
{
    if (xSemaphoreTake((SemaphoreHandle_t)mutex, portMAX_DELAY) != pdTRUE) {
        return CKR_MUTEX_BAD;
    }
    locks++;
    return CKR_OK;
}

static CK_RV app_unlock(CK_VOID_PTR mutex)
{
    unlocks++;
    return xSemaphoreGive((SemaphoreHandle_t)mutex) == pdTRUE ? CKR_OK : CKR_MUTEX_NOT_LOCKED;
}

TEST(PKCS11, InitializeAndFinalizeRules)
{
    (void)pkcs11_group_begin();
    TEST_ASSERT_RV(CKR_CRYPTOKI_ALREADY_INITIALIZED, C_Initialize(NULL));
    int reserved = 0;
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_Finalize(&reserved));
    TEST_ASSERT_RV(CKR_OK, C_Finalize(NULL));
    TEST_ASSERT_RV(CKR_CRYPTOKI_NOT_INITIALIZED, C_Finalize(NULL));
    /* Some of the four mutex functions, or a reserved pointer: refused. */
    CK_C_INITIALIZE_ARGS some = {app_create, NULL, app_lock, app_unlock, 0, NULL};
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_Initialize(&some));
    CK_C_INITIALIZE_ARGS with_reserved = {NULL, NULL, NULL, NULL, CKF_OS_LOCKING_OK, &reserved};
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_Initialize(&with_reserved));
    /* The OS's locking, explicitly; then no threads promised: both start the module. */
    CK_C_INITIALIZE_ARGS os_locking = {NULL, NULL, NULL, NULL, CKF_OS_LOCKING_OK, NULL};
    TEST_ASSERT_RV(CKR_OK, C_Initialize(&os_locking));
    TEST_ASSERT_RV(CKR_OK, C_Finalize(NULL));
    CK_C_INITIALIZE_ARGS no_threads = {NULL, NULL, NULL, NULL, CKF_LIBRARY_CANT_CREATE_OS_THREADS, NULL};
    TEST_ASSERT_RV(CKR_OK, C_Initialize(&no_threads));
    TEST_ASSERT_RV(CKR_OK, C_Finalize(NULL));
    pkcs11_group_end();
}

TEST(PKCS11, InitializeUsesTheApplicationsMutexes)
{
    (void)pkcs11_group_begin();
    TEST_ASSERT_RV(CKR_OK, C_Finalize(NULL));
    mutexes_created = mutexes_destroyed = locks = unlocks = 0;
    CK_C_INITIALIZE_ARGS args = {app_create, app_destroy, app_lock, app_unlock, 0, NULL};
    TEST_ASSERT_RV(CKR_OK, C_Initialize(&args));
    TEST_ASSERT_EQ(1, mutexes_created);
    CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_OK, C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session));
    TEST_ASSERT_RV(CKR_OK, C_CloseSession(session));
    TEST_ASSERT(locks >= 2);
    TEST_ASSERT_EQ(locks, unlocks);
    TEST_ASSERT_RV(CKR_OK, C_Finalize(NULL));
    TEST_ASSERT_EQ(1, mutexes_destroyed);
    TEST_ASSERT_EQ(locks, unlocks);
    pkcs11_group_end();
}

/* ---- Information ---- */

TEST(PKCS11, InfoDescribesTheModule)
{
    (void)pkcs11_group_begin();
    CK_INFO info;
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_GetInfo(NULL));
    TEST_ASSERT_RV(CKR_OK, C_GetInfo(&info));
    TEST_ASSERT_EQ(2, info.cryptokiVersion.major);
    TEST_ASSERT_EQ(40, info.cryptokiVersion.minor);
    TEST_ASSERT(padded_equals(info.manufacturerID, sizeof(info.manufacturerID), "Alder"));
    TEST_ASSERT(padded_equals(info.libraryDescription, sizeof(info.libraryDescription), "Alder PKCS#11 module"));
    TEST_ASSERT_EQ(0, info.flags);
    pkcs11_group_end();
}

TEST(PKCS11, OneSlotWithItsToken)
{
    CK_SESSION_HANDLE first = pkcs11_group_begin();
    CK_SLOT_ID slots[2] = {99, 99};
    CK_ULONG count = 0;
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_GetSlotList(CK_TRUE, NULL, NULL));
    TEST_ASSERT_RV(CKR_OK, C_GetSlotList(CK_TRUE, NULL, &count));
    TEST_ASSERT_EQ(1, count);
    count = 0;
    TEST_ASSERT_RV(CKR_BUFFER_TOO_SMALL, C_GetSlotList(CK_FALSE, slots, &count));
    TEST_ASSERT_EQ(1, count);
    count = 2;
    TEST_ASSERT_RV(CKR_OK, C_GetSlotList(CK_TRUE, slots, &count));
    TEST_ASSERT_EQ(1, count);
    TEST_ASSERT_EQ(0, slots[0]);
    TEST_ASSERT_EQ(99, slots[1]);
    CK_SLOT_INFO slot;
    TEST_ASSERT_RV(CKR_SLOT_ID_INVALID, C_GetSlotInfo(1, &slot));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_GetSlotInfo(0, NULL));
    TEST_ASSERT_RV(CKR_OK, C_GetSlotInfo(0, &slot));
    TEST_ASSERT_EQ(CKF_TOKEN_PRESENT, slot.flags);
    CK_TOKEN_INFO token;
    TEST_ASSERT_RV(CKR_SLOT_ID_INVALID, C_GetTokenInfo(7, &token));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_GetTokenInfo(0, NULL));
    TEST_ASSERT_RV(CKR_OK, C_GetTokenInfo(0, &token));
    TEST_ASSERT_EQ(CKF_RNG | CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED | CKF_TOKEN_INITIALIZED, token.flags);
    TEST_ASSERT_EQ(PKCS11_GROUP_PIN_LENGTH, token.ulMinPinLen);
    TEST_ASSERT_EQ(PKCS11_GROUP_PIN_LENGTH, token.ulMaxPinLen);
    TEST_ASSERT_EQ(PKCS11_CONFIG_MAX_SESSIONS, token.ulMaxSessionCount);
    TEST_ASSERT_EQ(1, token.ulSessionCount);
    TEST_ASSERT_EQ(1, token.ulRwSessionCount);
    CK_SESSION_HANDLE second = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_OK, C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &second));
    TEST_ASSERT_RV(CKR_OK, C_GetTokenInfo(0, &token));
    TEST_ASSERT_EQ(2, token.ulSessionCount);
    TEST_ASSERT_EQ(1, token.ulRwSessionCount);
    TEST_ASSERT_RV(CKR_OK, C_CloseSession(second));
    TEST_ASSERT_RV(CKR_OK, C_CloseSession(first));
    pkcs11_group_end();
}

TEST(PKCS11, MechanismsAndTheirInformation)
{
    (void)pkcs11_group_begin();
    CK_MECHANISM_TYPE list[8];
    CK_ULONG count = 0;
    TEST_ASSERT_RV(CKR_SLOT_ID_INVALID, C_GetMechanismList(1, NULL, &count));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_GetMechanismList(0, NULL, NULL));
    TEST_ASSERT_RV(CKR_OK, C_GetMechanismList(0, NULL, &count));
    TEST_ASSERT_EQ(4, count);
    count = 3;
    TEST_ASSERT_RV(CKR_BUFFER_TOO_SMALL, C_GetMechanismList(0, list, &count));
    TEST_ASSERT_EQ(4, count);
    count = PKCS11_GROUP_COUNT(list);
    TEST_ASSERT_RV(CKR_OK, C_GetMechanismList(0, list, &count));
    TEST_ASSERT_EQ(4, count);
    TEST_ASSERT_EQ(CKM_EC_KEY_PAIR_GEN, list[0]);
    TEST_ASSERT_EQ(CKM_ECDSA, list[1]);
    TEST_ASSERT_EQ(CKM_RSA_PKCS, list[2]);
    TEST_ASSERT_EQ(CKM_SHA256, list[3]);
    CK_MECHANISM_INFO info;
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_GetMechanismInfo(0, CKM_ECDSA, NULL));
    TEST_ASSERT_RV(CKR_MECHANISM_INVALID, C_GetMechanismInfo(0, CKM_SHA_1, &info));
    TEST_ASSERT_RV(CKR_SLOT_ID_INVALID, C_GetMechanismInfo(3, CKM_ECDSA, &info));
    TEST_ASSERT_RV(CKR_OK, C_GetMechanismInfo(0, CKM_ECDSA, &info));
    TEST_ASSERT_EQ(256, info.ulMinKeySize);
    TEST_ASSERT_EQ(256, info.ulMaxKeySize);
    TEST_ASSERT_EQ(CKF_SIGN | CKF_VERIFY, info.flags & (CKF_SIGN | CKF_VERIFY));
    TEST_ASSERT_RV(CKR_OK, C_GetMechanismInfo(0, CKM_RSA_PKCS, &info));
    TEST_ASSERT_EQ(2048, info.ulMinKeySize);
    TEST_ASSERT_EQ(CKF_SIGN | CKF_VERIFY, info.flags & (CKF_SIGN | CKF_VERIFY | CKF_DECRYPT));
    TEST_ASSERT_RV(CKR_OK, C_GetMechanismInfo(0, CKM_EC_KEY_PAIR_GEN, &info));
    TEST_ASSERT_EQ(CKF_GENERATE_KEY_PAIR, info.flags & CKF_GENERATE_KEY_PAIR);
    TEST_ASSERT_RV(CKR_OK, C_GetMechanismInfo(0, CKM_SHA256, &info));
    TEST_ASSERT_EQ(CKF_DIGEST, info.flags);
    pkcs11_group_end();
}

/* ---- Sessions and login ---- */

TEST(PKCS11, SessionsOpenAndClose)
{
    CK_SESSION_HANDLE begun = pkcs11_group_begin();
    TEST_ASSERT_RV(CKR_OK, C_CloseSession(begun));
    CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_SLOT_ID_INVALID, C_OpenSession(1, CKF_SERIAL_SESSION, NULL, NULL, &session));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, NULL));
    TEST_ASSERT_RV(CKR_SESSION_PARALLEL_NOT_SUPPORTED, C_OpenSession(0, CKF_RW_SESSION, NULL, NULL, &session));
    TEST_ASSERT_RV(CKR_OK, C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session));
    CK_SESSION_INFO info;
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_GetSessionInfo(session, NULL));
    TEST_ASSERT_RV(CKR_OK, C_GetSessionInfo(session, &info));
    TEST_ASSERT_EQ(0, info.slotID);
    TEST_ASSERT_EQ(CKS_RO_PUBLIC_SESSION, info.state);
    TEST_ASSERT_EQ(CKF_SERIAL_SESSION, info.flags);
    TEST_ASSERT_RV(CKR_OK, C_CloseSession(session));
    TEST_ASSERT_RV(CKR_SESSION_HANDLE_INVALID, C_CloseSession(session));
    TEST_ASSERT_RV(CKR_SESSION_HANDLE_INVALID, C_GetSessionInfo(session, &info));
    TEST_ASSERT_RV(CKR_SESSION_HANDLE_INVALID, C_CloseSession(CK_INVALID_HANDLE));
    /* As many as the configuration allows, then CKR_SESSION_COUNT. */
    CK_SESSION_HANDLE all[PKCS11_CONFIG_MAX_SESSIONS];
    for (int i = 0; i < PKCS11_CONFIG_MAX_SESSIONS; i++) {
        TEST_ASSERT_RV(CKR_OK, C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &all[i]));
    }
    TEST_ASSERT_RV(CKR_SESSION_COUNT, C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session));
    TEST_ASSERT_RV(CKR_SLOT_ID_INVALID, C_CloseAllSessions(5));
    TEST_ASSERT_RV(CKR_OK, C_CloseAllSessions(0));
    TEST_ASSERT_RV(CKR_SESSION_HANDLE_INVALID, C_CloseSession(all[0]));
    TEST_ASSERT_RV(CKR_OK, C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session));
    pkcs11_group_end();
}

TEST(PKCS11, LoginWithTheUserPin)
{
    CK_SESSION_HANDLE rw = pkcs11_group_begin();
    TEST_ASSERT_RV(CKR_OK, C_Logout(rw));
    CK_SESSION_HANDLE ro = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_OK, C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro));
    /* Wrong PINs: one byte changed, one byte short, one byte long. */
    CK_UTF8CHAR wrong[sizeof(PKCS11_CONFIG_USER_PIN) + 1];
    memcpy(wrong, PKCS11_CONFIG_USER_PIN, sizeof(PKCS11_CONFIG_USER_PIN));
    wrong[0] ^= 0x01;
    TEST_ASSERT_RV(CKR_PIN_INCORRECT, C_Login(ro, CKU_USER, wrong, PKCS11_GROUP_PIN_LENGTH));
    wrong[0] ^= 0x01;
    wrong[PKCS11_GROUP_PIN_LENGTH] = wrong[0];
    TEST_ASSERT_RV(CKR_PIN_INCORRECT, C_Login(ro, CKU_USER, wrong, PKCS11_GROUP_PIN_LENGTH + 1));
    if (PKCS11_GROUP_PIN_LENGTH > 1) {
        TEST_ASSERT_RV(CKR_PIN_INCORRECT, C_Login(ro, CKU_USER, wrong, PKCS11_GROUP_PIN_LENGTH - 1));
    }
    TEST_ASSERT_RV(CKR_SESSION_HANDLE_INVALID,
                   C_Login(CK_INVALID_HANDLE, CKU_USER, PKCS11_GROUP_PIN, PKCS11_GROUP_PIN_LENGTH));
    TEST_ASSERT_RV(CKR_USER_TYPE_INVALID, C_Login(ro, CKU_SO, PKCS11_GROUP_PIN, PKCS11_GROUP_PIN_LENGTH));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_Login(ro, CKU_USER, NULL, PKCS11_GROUP_PIN_LENGTH));
    TEST_ASSERT_RV(CKR_USER_NOT_LOGGED_IN, C_Logout(ro));
    /* The right PIN. The login belongs to the application: every session sees it. */
    TEST_ASSERT_RV(CKR_OK, C_Login(ro, CKU_USER, PKCS11_GROUP_PIN, PKCS11_GROUP_PIN_LENGTH));
    TEST_ASSERT_RV(CKR_USER_ALREADY_LOGGED_IN, C_Login(rw, CKU_USER, PKCS11_GROUP_PIN, PKCS11_GROUP_PIN_LENGTH));
    CK_SESSION_INFO info;
    TEST_ASSERT_RV(CKR_OK, C_GetSessionInfo(ro, &info));
    TEST_ASSERT_EQ(CKS_RO_USER_FUNCTIONS, info.state);
    TEST_ASSERT_RV(CKR_OK, C_GetSessionInfo(rw, &info));
    TEST_ASSERT_EQ(CKS_RW_USER_FUNCTIONS, info.state);
    TEST_ASSERT_RV(CKR_OK, C_Logout(rw));
    TEST_ASSERT_RV(CKR_OK, C_GetSessionInfo(ro, &info));
    TEST_ASSERT_EQ(CKS_RO_PUBLIC_SESSION, info.state);
    /* Closing the last session ends the login. */
    TEST_ASSERT_RV(CKR_OK, C_Login(ro, CKU_USER, PKCS11_GROUP_PIN, PKCS11_GROUP_PIN_LENGTH));
    TEST_ASSERT_RV(CKR_OK, C_CloseAllSessions(0));
    TEST_ASSERT_RV(CKR_OK, C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro));
    TEST_ASSERT_RV(CKR_OK, C_GetSessionInfo(ro, &info));
    TEST_ASSERT_EQ(CKS_RO_PUBLIC_SESSION, info.state);
    pkcs11_group_end();
}

TEST(PKCS11, ReadOnlySessionsNeverChangeTheStore)
{
    CK_SESSION_HANDLE rw = pkcs11_group_begin();
    CK_OBJECT_HANDLE certificate = pkcs11_group_create_certificate(rw, PKCS11_LABEL_ROOT_CERTIFICATE);
    CK_OBJECT_HANDLE key = pkcs11_group_create_ec_private(rw, PKCS11_LABEL_DEVICE_PRIVATE_KEY);
    CK_SESSION_HANDLE ro = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_OK, C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro));
    CK_OBJECT_CLASS object_class = CKO_CERTIFICATE;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &object_class, sizeof(object_class)},
                        {CKA_LABEL, "Another Cert", 12},
                        {CKA_VALUE, (CK_VOID_PTR)kat_certificate, sizeof(kat_certificate)}};
    CK_OBJECT_HANDLE object = CK_INVALID_HANDLE, public_key = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_SESSION_READ_ONLY, C_CreateObject(ro, t, PKCS11_GROUP_COUNT(t), &object));
    TEST_ASSERT_RV(CKR_SESSION_READ_ONLY, C_DestroyObject(ro, certificate));
    TEST_ASSERT_RV(CKR_SESSION_READ_ONLY, pkcs11_group_generate_ec(ro, "Ro Key", NULL, &public_key, &object));
    /* Nothing changed, and a read-only session still reads, searches and signs (the login is shared). */
    CK_OBJECT_HANDLE found[4];
    TEST_ASSERT_EQ(3, pkcs11_group_find(ro, CK_UNAVAILABLE_INFORMATION, NULL, found, 4));
    TEST_ASSERT_EQ(CKO_CERTIFICATE, pkcs11_group_attribute_ulong(ro, certificate, CKA_CLASS));
    CK_BYTE hash[32], signature[64];
    memset(hash, 0x11, sizeof(hash));
    pkcs11_group_ecdsa_sign(ro, key, hash, signature);
    CK_OBJECT_HANDLE view = pkcs11_group_find_one(ro, CKO_PUBLIC_KEY, PKCS11_LABEL_DEVICE_PRIVATE_KEY);
    TEST_ASSERT_RV(CKR_OK, pkcs11_group_ecdsa_verify(ro, view, hash, signature));
    /* Logged out, a read/write session cannot change the store either. */
    TEST_ASSERT_RV(CKR_OK, C_Logout(rw));
    TEST_ASSERT_RV(CKR_USER_NOT_LOGGED_IN, C_CreateObject(rw, t, PKCS11_GROUP_COUNT(t), &object));
    TEST_ASSERT_RV(CKR_USER_NOT_LOGGED_IN, C_DestroyObject(rw, certificate));
    pkcs11_group_end();
}

/* ---- Objects ---- */

TEST(PKCS11, CreatesEveryKindOfObject)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE objects[5] = {
        pkcs11_group_create_certificate(session, "Group Cert"),
        pkcs11_group_create_ec_private(session, "Group Ec Private"),
        pkcs11_group_create_ec_public(session, "Group Ec Public"),
        pkcs11_group_create_rsa_private(session, "Group Rsa Private"),
        pkcs11_group_create_rsa_public(session, "Group Rsa Public"),
    };
    static const CK_OBJECT_CLASS classes[5] = {CKO_CERTIFICATE, CKO_PRIVATE_KEY, CKO_PUBLIC_KEY, CKO_PRIVATE_KEY,
                                               CKO_PUBLIC_KEY};
    for (int i = 0; i < 5; i++) {
        TEST_ASSERT_EQ(classes[i], pkcs11_group_attribute_ulong(session, objects[i], CKA_CLASS));
        TEST_ASSERT_EQ(CK_TRUE, pkcs11_group_attribute_bool(session, objects[i], CKA_TOKEN));
        for (int j = 0; j < i; j++) {
            TEST_ASSERT_NE(objects[j], objects[i]);
        }
    }
    TEST_ASSERT_EQ(CKC_X_509, pkcs11_group_attribute_ulong(session, objects[0], CKA_CERTIFICATE_TYPE));
    TEST_ASSERT_EQ(CKK_EC, pkcs11_group_attribute_ulong(session, objects[1], CKA_KEY_TYPE));
    TEST_ASSERT_EQ(CKK_EC, pkcs11_group_attribute_ulong(session, objects[2], CKA_KEY_TYPE));
    TEST_ASSERT_EQ(CKK_RSA, pkcs11_group_attribute_ulong(session, objects[3], CKA_KEY_TYPE));
    TEST_ASSERT_EQ(2048, pkcs11_group_attribute_ulong(session, objects[4], CKA_MODULUS_BITS));
    TEST_ASSERT_EQ(CK_TRUE, pkcs11_group_attribute_bool(session, objects[1], CKA_PRIVATE));
    TEST_ASSERT_EQ(CK_FALSE, pkcs11_group_attribute_bool(session, objects[2], CKA_PRIVATE));
    TEST_ASSERT_EQ(CK_FALSE, pkcs11_group_attribute_bool(session, objects[3], CKA_LOCAL));
    /* The certificate's bytes come back exactly. */
    static CK_BYTE value[sizeof(kat_certificate) + 16];
    CK_ATTRIBUTE a = {CKA_VALUE, value, sizeof(value)};
    TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, objects[0], &a, 1));
    TEST_ASSERT_EQ(sizeof(kat_certificate), a.ulValueLen);
    TEST_ASSERT_MEM_EQ(kat_certificate, value, sizeof(kat_certificate));
    /* One label holds one object: a second create of the same class replaces it, another class is refused. */
    TEST_ASSERT_EQ(objects[0], pkcs11_group_create_certificate(session, "Group Cert"));
    CK_OBJECT_HANDLE found[4];
    TEST_ASSERT_EQ(1, pkcs11_group_find(session, CK_UNAVAILABLE_INFORMATION, "Group Cert", found, 4));
    CK_OBJECT_CLASS object_class = CKO_CERTIFICATE;
    CK_ATTRIBUTE over_key[] = {{CKA_CLASS, &object_class, sizeof(object_class)},
                               {CKA_LABEL, "Group Ec Private", 16},
                               {CKA_VALUE, (CK_VOID_PTR)kat_certificate, sizeof(kat_certificate)}};
    CK_OBJECT_HANDLE object = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_ATTRIBUTE_VALUE_INVALID, C_CreateObject(session, over_key, 3, &object));
    TEST_ASSERT_EQ(CKO_PRIVATE_KEY, pkcs11_group_attribute_ulong(session, objects[1], CKA_CLASS));
    pkcs11_group_end();
}

/* One template, one expected code; the line is the caller's. */
static void expect_create(CK_SESSION_HANDLE session, CK_ATTRIBUTE *t, CK_ULONG count, CK_RV expected, int line)
{
    CK_OBJECT_HANDLE object = CK_INVALID_HANDLE;
    pkcs11_group_check_rv(__FILE__, line, "C_CreateObject", expected, C_CreateObject(session, t, count, &object));
}
#define EXPECT_CREATE(expected, ...)                                                                                   \
    do {                                                                                                               \
        CK_ATTRIBUTE t_[] = {__VA_ARGS__};                                                                             \
        expect_create(session, t_, PKCS11_GROUP_COUNT(t_), (expected), __LINE__);                                      \
    } while (0)

TEST(PKCS11, CreateRefusesBadTemplatesWithTheirCodes)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_CLASS public_class = CKO_PUBLIC_KEY, private_class = CKO_PRIVATE_KEY, data_class = CKO_DATA,
                    certificate_class = CKO_CERTIFICATE;
    CK_KEY_TYPE ec = CKK_EC, rsa = CKK_RSA;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_BYTE point[67] = {0x04, 0x41};
    memcpy(point + 2, kat_ec_point, sizeof(kat_ec_point));
    CK_BYTE long_label[PKCS11_CONFIG_MAX_LABEL_LENGTH + 1];
    memset(long_label, 'L', sizeof(long_label));
    CK_OBJECT_HANDLE object = CK_INVALID_HANDLE;
#define PUBLIC_EC {CKA_CLASS, &public_class, sizeof(public_class)}, {CKA_KEY_TYPE, &ec, sizeof(ec)}
#define PRIVATE_EC                                                                                                     \
    {CKA_CLASS, &private_class, sizeof(private_class)},                                                                \
    {                                                                                                                  \
        CKA_KEY_TYPE, &ec, sizeof(ec)                                                                                  \
    }
#define P256                                                                                                           \
    {                                                                                                                  \
        CKA_EC_PARAMS, (CK_VOID_PTR)p256_oid, sizeof(p256_oid)                                                         \
    }
#define POINT                                                                                                          \
    {                                                                                                                  \
        CKA_EC_POINT, point, sizeof(point)                                                                             \
    }
#define SCALAR                                                                                                         \
    {                                                                                                                  \
        CKA_VALUE, (CK_VOID_PTR)kat_ec_private, sizeof(kat_ec_private)                                                 \
    }
    TEST_ASSERT_RV(CKR_SESSION_HANDLE_INVALID, C_CreateObject(CK_INVALID_HANDLE, NULL, 0, &object));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_CreateObject(session, NULL, 2, &object));
    EXPECT_CREATE(CKR_ARGUMENTS_BAD, PUBLIC_EC, {CKA_LABEL, NULL, 3}, P256, POINT);
    EXPECT_CREATE(CKR_TEMPLATE_INCOMPLETE, {CKA_LABEL, "x", 1});
    EXPECT_CREATE(CKR_TEMPLATE_INCOMPLETE, PUBLIC_EC, P256, POINT);
    EXPECT_CREATE(CKR_TEMPLATE_INCOMPLETE, PUBLIC_EC, {CKA_LABEL, "x", 1}, P256);
    EXPECT_CREATE(CKR_TEMPLATE_INCOMPLETE, PRIVATE_EC, {CKA_LABEL, "x", 1}, P256);
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, {CKA_CLASS, &data_class, sizeof(data_class)}, {CKA_LABEL, "x", 1});
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, PUBLIC_EC, {CKA_LABEL, "", 0}, P256, POINT);
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, PUBLIC_EC, {CKA_LABEL, long_label, sizeof(long_label)}, P256, POINT);
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, PUBLIC_EC, {CKA_LABEL, "x", 1}, {CKA_TOKEN, &no, 1}, P256, POINT);
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, {CKA_CLASS, &certificate_class, sizeof(certificate_class)},
                  {CKA_LABEL, "x", 1}, {CKA_VALUE, (CK_VOID_PTR)kat_certificate, 100});
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, {CKA_CLASS, &public_class, sizeof(public_class)},
                  {CKA_KEY_TYPE, &rsa, sizeof(rsa)}, {CKA_LABEL, "x", 1},
                  {CKA_MODULUS, (CK_VOID_PTR)kat_rsa_modulus, 128},
                  {CKA_PUBLIC_EXPONENT, (CK_VOID_PTR)kat_rsa_public_exponent, sizeof(kat_rsa_public_exponent)});
    EXPECT_CREATE(CKR_CURVE_NOT_SUPPORTED, PUBLIC_EC, {CKA_LABEL, "x", 1},
                  {CKA_EC_PARAMS, (CK_VOID_PTR)p384_oid, sizeof(p384_oid)}, POINT);
    EXPECT_CREATE(CKR_ATTRIBUTE_TYPE_INVALID, PUBLIC_EC, {CKA_LABEL, "x", 1}, P256, POINT, {0x7FFFFFF0UL, "v", 1});
    EXPECT_CREATE(CKR_ATTRIBUTE_READ_ONLY, PUBLIC_EC, {CKA_LABEL, "x", 1}, P256, POINT, {CKA_LOCAL, &yes, 1});
    EXPECT_CREATE(CKR_TEMPLATE_INCONSISTENT, PUBLIC_EC, {CKA_LABEL, "x", 1}, {CKA_LABEL, "y", 1}, P256, POINT);
    EXPECT_CREATE(CKR_TEMPLATE_INCONSISTENT, PUBLIC_EC, {CKA_LABEL, "x", 1}, P256, POINT, {CKA_SIGN, &yes, 1});
    /* A private key is private and sensitive, and never extractable: templates asking otherwise are refused. */
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, PRIVATE_EC, {CKA_LABEL, "k", 1}, P256, SCALAR, {CKA_SENSITIVE, &no, 1});
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, PRIVATE_EC, {CKA_LABEL, "k", 1}, P256, SCALAR,
                  {CKA_EXTRACTABLE, &yes, 1});
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, PRIVATE_EC, {CKA_LABEL, "k", 1}, P256, SCALAR, {CKA_PRIVATE, &no, 1});
#undef PUBLIC_EC
#undef PRIVATE_EC
#undef P256
#undef POINT
#undef SCALAR
    /* None of it reached the store. */
    CK_OBJECT_HANDLE found[2];
    TEST_ASSERT_EQ(0, pkcs11_group_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 2));
    pkcs11_group_end();
}

TEST(PKCS11, DestroyRemovesObjects)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE certificate = pkcs11_group_create_certificate(session, "Group Cert");
    CK_OBJECT_HANDLE public_key = CK_INVALID_HANDLE, private_key = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_OK, pkcs11_group_generate_ec(session, "Group Key", NULL, &public_key, &private_key));
    TEST_ASSERT_RV(CKR_SESSION_HANDLE_INVALID, C_DestroyObject(CK_INVALID_HANDLE, certificate));
    TEST_ASSERT_RV(CKR_OBJECT_HANDLE_INVALID, C_DestroyObject(session, CK_INVALID_HANDLE));
    TEST_ASSERT_RV(CKR_OBJECT_HANDLE_INVALID, C_DestroyObject(session, 0x7FFFFFF0UL));
    TEST_ASSERT_EQ(CK_FALSE, pkcs11_group_attribute_bool(session, public_key, CKA_DESTROYABLE));
    TEST_ASSERT_RV(CKR_ACTION_PROHIBITED, C_DestroyObject(session, public_key)); /* the view goes with its key */
    TEST_ASSERT_RV(CKR_OK, C_DestroyObject(session, certificate));
    TEST_ASSERT_RV(CKR_OBJECT_HANDLE_INVALID, C_DestroyObject(session, certificate));
    TEST_ASSERT_RV(CKR_OK, C_DestroyObject(session, private_key));
    CK_BBOOL token = CK_FALSE;
    CK_ATTRIBUTE a = {CKA_TOKEN, &token, sizeof(token)};
    TEST_ASSERT_RV(CKR_OBJECT_HANDLE_INVALID, C_GetAttributeValue(session, public_key, &a, 1));
    TEST_ASSERT_RV(CKR_OBJECT_HANDLE_INVALID, C_GetAttributeValue(session, certificate, &a, 1));
    CK_OBJECT_HANDLE found[2];
    TEST_ASSERT_EQ(0, pkcs11_group_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 2));
    pkcs11_group_end();
}

/* ---- Searching ---- */

TEST(PKCS11, SearchThatFindsNothingWritesNoHandle)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    (void)pkcs11_group_create_certificate(session, "Group Cert");
    CK_BYTE other_id[] = {0x02};
    CK_OBJECT_CLASS data_class = CKO_DATA;
    CK_ATTRIBUTE templates[3][1] = {{{CKA_ID, other_id, sizeof(other_id)}},
                                    {{CKA_LABEL, "No Such Label", 13}},
                                    {{CKA_CLASS, &data_class, sizeof(data_class)}}};
    for (int i = 0; i < 3; i++) {
        CK_OBJECT_HANDLE found[2] = {0xA5A5A5A5UL, 0xA5A5A5A5UL};
        CK_ULONG count = 99;
        TEST_ASSERT_RV(CKR_OK, C_FindObjectsInit(session, templates[i], 1));
        TEST_ASSERT_RV(CKR_OK, C_FindObjects(session, found, 2, &count));
        TEST_ASSERT_EQ(0, count);
        TEST_ASSERT_EQ(0xA5A5A5A5UL, found[0]);
        TEST_ASSERT_EQ(0xA5A5A5A5UL, found[1]);
        TEST_ASSERT_RV(CKR_OK, C_FindObjectsFinal(session));
    }
    pkcs11_group_end();
}

TEST(PKCS11, FindsByClassLabelKeyTypeAndId)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE certificate = pkcs11_group_create_certificate(session, "Group Cert");
    CK_OBJECT_HANDLE ec = pkcs11_group_create_ec_private(session, "Group Ec Key");
    CK_OBJECT_HANDLE rsa = pkcs11_group_create_rsa_private(session, "Group Rsa Key");
    CK_OBJECT_HANDLE found[8];
    /* Everything: three stored objects and the two private keys' public views. */
    TEST_ASSERT_EQ(5, pkcs11_group_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 8));
    TEST_ASSERT_EQ(certificate, pkcs11_group_find_one(session, CKO_CERTIFICATE, NULL));
    TEST_ASSERT_EQ(2, pkcs11_group_find(session, CKO_PRIVATE_KEY, NULL, found, 8));
    TEST_ASSERT_EQ(rsa, pkcs11_group_find_one(session, CKO_PRIVATE_KEY, "Group Rsa Key"));
    CK_KEY_TYPE ec_type = CKK_EC;
    CK_OBJECT_CLASS private_class = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE by_type[] = {{CKA_KEY_TYPE, &ec_type, sizeof(ec_type)},
                              {CKA_CLASS, &private_class, sizeof(private_class)}};
    CK_ULONG count = 0;
    TEST_ASSERT_RV(CKR_OK, C_FindObjectsInit(session, by_type, 2));
    TEST_ASSERT_RV(CKR_OK, C_FindObjects(session, found, 8, &count));
    TEST_ASSERT_RV(CKR_OK, C_FindObjectsFinal(session));
    TEST_ASSERT_EQ(1, count);
    TEST_ASSERT_EQ(ec, found[0]);
    CK_BYTE id[] = {0x01};
    CK_ATTRIBUTE by_id[] = {{CKA_ID, id, sizeof(id)}};
    TEST_ASSERT_RV(CKR_OK, C_FindObjectsInit(session, by_id, 1));
    TEST_ASSERT_RV(CKR_OK, C_FindObjects(session, found, 8, &count));
    TEST_ASSERT_RV(CKR_OK, C_FindObjectsFinal(session));
    TEST_ASSERT_EQ(5, count);
    /* In pieces of one: every object once, then zero. */
    CK_ULONG total = 0;
    TEST_ASSERT_RV(CKR_OK, C_FindObjectsInit(session, NULL, 0));
    do {
        TEST_ASSERT_RV(CKR_OK, C_FindObjects(session, found, 1, &count));
        total += count;
    } while (count == 1 && total < 10);
    TEST_ASSERT_RV(CKR_OK, C_FindObjectsFinal(session));
    TEST_ASSERT_EQ(5, total);
    /* A sensitive attribute never matches, even with the right value. */
    CK_ATTRIBUTE secret[] = {{CKA_VALUE, (CK_VOID_PTR)kat_ec_private, sizeof(kat_ec_private)}};
    TEST_ASSERT_RV(CKR_OK, C_FindObjectsInit(session, secret, 1));
    TEST_ASSERT_RV(CKR_OK, C_FindObjects(session, found, 8, &count));
    TEST_ASSERT_RV(CKR_OK, C_FindObjectsFinal(session));
    TEST_ASSERT_EQ(0, count);
    pkcs11_group_end();
}

TEST(PKCS11, SearchOperationRules)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE found[2];
    CK_ULONG count = 0;
    TEST_ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED, C_FindObjects(session, found, 2, &count));
    TEST_ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED, C_FindObjectsFinal(session));
    TEST_ASSERT_RV(CKR_SESSION_HANDLE_INVALID, C_FindObjectsInit(CK_INVALID_HANDLE, NULL, 0));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_FindObjectsInit(session, NULL, 1));
    TEST_ASSERT_RV(CKR_OK, C_FindObjectsInit(session, NULL, 0));
    TEST_ASSERT_RV(CKR_OPERATION_ACTIVE, C_FindObjectsInit(session, NULL, 0));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_FindObjects(session, NULL, 2, &count));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_FindObjects(session, found, 2, NULL));
    TEST_ASSERT_RV(CKR_OK, C_FindObjectsFinal(session));
    /* A template larger than the session's copy of it. */
    CK_ATTRIBUTE many[PKCS11_CONFIG_FIND_MAX_ATTRIBUTES + 1];
    for (size_t i = 0; i < PKCS11_GROUP_COUNT(many); i++) {
        many[i] = (CK_ATTRIBUTE){CKA_LABEL, "A", 1};
    }
    TEST_ASSERT_RV(CKR_DEVICE_MEMORY, C_FindObjectsInit(session, many, PKCS11_GROUP_COUNT(many)));
    static CK_BYTE big[PKCS11_CONFIG_FIND_VALUE_BYTES + 1];
    CK_ATTRIBUTE large[] = {{CKA_VALUE, big, sizeof(big)}};
    TEST_ASSERT_RV(CKR_DEVICE_MEMORY, C_FindObjectsInit(session, large, 1));
    pkcs11_group_end();
}

/* ---- Attributes ---- */

TEST(PKCS11, AttributeValuesFollowTheSizeRules)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE certificate = pkcs11_group_create_certificate(session, PKCS11_LABEL_DEVICE_CERTIFICATE);
    static CK_BYTE buffer[1024];
    CK_ATTRIBUTE a = {CKA_VALUE, NULL, 0};
    TEST_ASSERT_RV(CKR_SESSION_HANDLE_INVALID, C_GetAttributeValue(CK_INVALID_HANDLE, certificate, &a, 1));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_GetAttributeValue(session, certificate, NULL, 1));
    TEST_ASSERT_RV(CKR_OBJECT_HANDLE_INVALID, C_GetAttributeValue(session, CK_INVALID_HANDLE, &a, 1));
    TEST_ASSERT_RV(CKR_OBJECT_HANDLE_INVALID, C_GetAttributeValue(session, 0x7FFFFFF0UL, &a, 1));
    /* pValue NULL: the length only. */
    TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, certificate, &a, 1));
    TEST_ASSERT_EQ(sizeof(kat_certificate), a.ulValueLen);
    /* Too small: CK_UNAVAILABLE_INFORMATION and CKR_BUFFER_TOO_SMALL. */
    a.pValue = buffer;
    a.ulValueLen = 10;
    TEST_ASSERT_RV(CKR_BUFFER_TOO_SMALL, C_GetAttributeValue(session, certificate, &a, 1));
    TEST_ASSERT_EQ(CK_UNAVAILABLE_INFORMATION, a.ulValueLen);
    a.ulValueLen = sizeof(kat_certificate); /* exactly enough */
    TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, certificate, &a, 1));
    TEST_ASSERT_MEM_EQ(kat_certificate, buffer, sizeof(kat_certificate));
    /* An attribute the object does not have; the others in the same call are still answered. */
    CK_ULONG type = 0xDEAD;
    CK_BYTE label[PKCS11_CONFIG_MAX_LABEL_LENGTH];
    CK_ATTRIBUTE several[] = {{CKA_MODULUS, buffer, sizeof(buffer)},
                              {CKA_CERTIFICATE_TYPE, &type, sizeof(type)},
                              {CKA_LABEL, label, sizeof(label)}};
    TEST_ASSERT_RV(CKR_ATTRIBUTE_TYPE_INVALID, C_GetAttributeValue(session, certificate, several, 3));
    TEST_ASSERT_EQ(CK_UNAVAILABLE_INFORMATION, several[0].ulValueLen);
    TEST_ASSERT_EQ(CKC_X_509, type);
    TEST_ASSERT_EQ(strlen(PKCS11_LABEL_DEVICE_CERTIFICATE), several[2].ulValueLen);
    TEST_ASSERT_MEM_EQ(PKCS11_LABEL_DEVICE_CERTIFICATE, label, strlen(PKCS11_LABEL_DEVICE_CERTIFICATE));
    pkcs11_group_end();
}

/* The rule for a private key's secret parts: CKR_ATTRIBUTE_SENSITIVE, length CK_UNAVAILABLE_INFORMATION. */
static void expect_sensitive(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key, CK_ATTRIBUTE_TYPE type)
{
    static CK_BYTE buffer[512];
    CK_ATTRIBUTE value = {type, buffer, sizeof(buffer)};
    TEST_ASSERT_RV(CKR_ATTRIBUTE_SENSITIVE, C_GetAttributeValue(session, key, &value, 1));
    TEST_ASSERT_EQ(CK_UNAVAILABLE_INFORMATION, value.ulValueLen);
    value = (CK_ATTRIBUTE){type, NULL, 0}; /* a size query is refused the same way */
    TEST_ASSERT_RV(CKR_ATTRIBUTE_SENSITIVE, C_GetAttributeValue(session, key, &value, 1));
    TEST_ASSERT_EQ(CK_UNAVAILABLE_INFORMATION, value.ulValueLen);
}

static void expect_sensitive_flags(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key)
{
    TEST_ASSERT_EQ(CK_TRUE, pkcs11_group_attribute_bool(session, key, CKA_SENSITIVE));
    TEST_ASSERT_EQ(CK_FALSE, pkcs11_group_attribute_bool(session, key, CKA_EXTRACTABLE));
    TEST_ASSERT_EQ(CK_TRUE, pkcs11_group_attribute_bool(session, key, CKA_ALWAYS_SENSITIVE));
    TEST_ASSERT_EQ(CK_TRUE, pkcs11_group_attribute_bool(session, key, CKA_NEVER_EXTRACTABLE));
    TEST_ASSERT_EQ(CK_TRUE, pkcs11_group_attribute_bool(session, key, CKA_PRIVATE));
}

TEST(PKCS11, PrivateKeyValuesAreSensitive)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE ec = pkcs11_group_create_ec_private(session, "Group Ec Key");
    CK_OBJECT_HANDLE rsa = pkcs11_group_create_rsa_private(session, "Group Rsa Key");
    CK_OBJECT_HANDLE generated_public = CK_INVALID_HANDLE, generated = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_OK, pkcs11_group_generate_ec(session, "Group Made Key", NULL, &generated_public, &generated));
    expect_sensitive(session, ec, CKA_VALUE);
    expect_sensitive(session, generated, CKA_VALUE);
    static const CK_ATTRIBUTE_TYPE rsa_secrets[] = {CKA_PRIVATE_EXPONENT, CKA_PRIME_1,    CKA_PRIME_2,
                                                    CKA_EXPONENT_1,       CKA_EXPONENT_2, CKA_COEFFICIENT};
    for (size_t i = 0; i < PKCS11_GROUP_COUNT(rsa_secrets); i++) {
        expect_sensitive(session, rsa, rsa_secrets[i]);
    }
    expect_sensitive_flags(session, ec);
    expect_sensitive_flags(session, rsa);
    expect_sensitive_flags(session, generated);
    /* In one call the secret entry is refused and the others are still answered. */
    static CK_BYTE buffer[300];
    CK_BBOOL sign = CK_FALSE;
    CK_ATTRIBUTE mixed[] = {{CKA_VALUE, buffer, sizeof(buffer)}, {CKA_SIGN, &sign, sizeof(sign)}};
    TEST_ASSERT_RV(CKR_ATTRIBUTE_SENSITIVE, C_GetAttributeValue(session, ec, mixed, 2));
    TEST_ASSERT_EQ(CK_UNAVAILABLE_INFORMATION, mixed[0].ulValueLen);
    TEST_ASSERT_EQ(CK_TRUE, sign);
    /* A private key's public parts are not secret. */
    CK_ATTRIBUTE modulus = {CKA_MODULUS, buffer, sizeof(buffer)};
    TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, rsa, &modulus, 1));
    TEST_ASSERT_EQ(sizeof(kat_rsa_modulus), modulus.ulValueLen);
    TEST_ASSERT_MEM_EQ(kat_rsa_modulus, buffer, sizeof(kat_rsa_modulus));
    CK_OBJECT_HANDLE view = pkcs11_group_find_one(session, CKO_PUBLIC_KEY, "Group Ec Key");
    CK_ATTRIBUTE point = {CKA_EC_POINT, buffer, sizeof(buffer)};
    TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, view, &point, 1));
    TEST_ASSERT_EQ(2 + sizeof(kat_ec_point), point.ulValueLen);
    TEST_ASSERT_MEM_EQ(kat_ec_point, buffer + 2, sizeof(kat_ec_point));
    pkcs11_group_end();
}

TEST(PKCS11, PrivateObjectsNeedTheLogin)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE key = pkcs11_group_create_ec_private(session, "Group Key");
    (void)pkcs11_group_create_certificate(session, "Group Cert");
    CK_OBJECT_HANDLE found[4];
    TEST_ASSERT_EQ(3, pkcs11_group_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 4));
    TEST_ASSERT_RV(CKR_OK, C_Logout(session));
    /* The certificate and the key's public view are public; the private key is not there. */
    TEST_ASSERT_EQ(2, pkcs11_group_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 4));
    TEST_ASSERT_EQ(0, pkcs11_group_find(session, CKO_PRIVATE_KEY, NULL, found, 4));
    CK_BBOOL sign = CK_FALSE;
    CK_ATTRIBUTE a = {CKA_SIGN, &sign, sizeof(sign)};
    TEST_ASSERT_RV(CKR_OBJECT_HANDLE_INVALID, C_GetAttributeValue(session, key, &a, 1));
    pkcs11_group_login(session);
    TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, key, &a, 1));
    TEST_ASSERT_EQ(CK_TRUE, sign);
    pkcs11_group_end();
}

/* ---- The standard labels ---- */

/* An object of the group's vectors for a label: an EC key pair's private half, an EC public key, a certificate. */
static CK_OBJECT_HANDLE create_of_class(CK_SESSION_HANDLE session, CK_OBJECT_CLASS object_class, const char *label)
{
    switch (object_class) {
    case CKO_PRIVATE_KEY:
        return pkcs11_group_create_ec_private(session, label);
    case CKO_PUBLIC_KEY:
        return pkcs11_group_create_ec_public(session, label);
    default:
        return pkcs11_group_create_certificate(session, label);
    }
}

TEST(PKCS11, StandardLabelsHoldTheirObjects)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    /* The labels are an interface: provisioning tools and the cloud's registration use these exact bytes. */
    TEST_ASSERT_STR_EQ("Device Priv TLS Key", PKCS11_LABEL_DEVICE_PRIVATE_KEY);
    TEST_ASSERT_STR_EQ("Device Pub TLS Key", PKCS11_LABEL_DEVICE_PUBLIC_KEY);
    TEST_ASSERT_STR_EQ("Device Cert", PKCS11_LABEL_DEVICE_CERTIFICATE);
    TEST_ASSERT_STR_EQ("Root Cert", PKCS11_LABEL_ROOT_CERTIFICATE);
    TEST_ASSERT_STR_EQ("Code Verify Key", PKCS11_LABEL_CODE_VERIFICATION_KEY);
    TEST_ASSERT_STR_EQ("JITP Cert", PKCS11_LABEL_JITP_CERTIFICATE);
    static const struct {
        const char *label;
        CK_OBJECT_CLASS object_class;
    } standard[] = {
        {PKCS11_LABEL_DEVICE_PRIVATE_KEY, CKO_PRIVATE_KEY},   {PKCS11_LABEL_DEVICE_PUBLIC_KEY, CKO_PUBLIC_KEY},
        {PKCS11_LABEL_DEVICE_CERTIFICATE, CKO_CERTIFICATE},   {PKCS11_LABEL_ROOT_CERTIFICATE, CKO_CERTIFICATE},
        {PKCS11_LABEL_CODE_VERIFICATION_KEY, CKO_PUBLIC_KEY}, {PKCS11_LABEL_JITP_CERTIFICATE, CKO_CERTIFICATE},
    };
    CK_OBJECT_HANDLE handles[PKCS11_GROUP_COUNT(standard)];
    for (size_t i = 0; i < PKCS11_GROUP_COUNT(standard); i++) {
        handles[i] = create_of_class(session, standard[i].object_class, standard[i].label);
    }
    for (size_t i = 0; i < PKCS11_GROUP_COUNT(standard); i++) {
        TEST_ASSERT_EQ(handles[i], pkcs11_group_find_one(session, standard[i].object_class, standard[i].label));
        CK_BYTE label[PKCS11_CONFIG_MAX_LABEL_LENGTH];
        CK_ATTRIBUTE a = {CKA_LABEL, label, sizeof(label)};
        TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, handles[i], &a, 1));
        TEST_ASSERT_EQ(strlen(standard[i].label), a.ulValueLen);
        TEST_ASSERT_MEM_EQ(standard[i].label, label, a.ulValueLen);
    }
    /* Six stored objects and the device key's public view. */
    CK_OBJECT_HANDLE found[8];
    TEST_ASSERT_EQ(7, pkcs11_group_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 8));
    pkcs11_group_end();
}

/* ---- Persistence ---- */

/* The objects a device keeps across restarts: found again by label, the key still signing the same (ECDSA here is
 * RFC 6979, so one key and one hash give one signature). */
TEST(PKCS11, PersistsAcrossFinalizeAndInitialize)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE public_key = CK_INVALID_HANDLE, private_key = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_OK, pkcs11_group_generate_ec(session, PKCS11_LABEL_DEVICE_PRIVATE_KEY,
                                                    PKCS11_LABEL_DEVICE_PUBLIC_KEY, &public_key, &private_key));
    (void)pkcs11_group_create_certificate(session, PKCS11_LABEL_DEVICE_CERTIFICATE);
    CK_OBJECT_HANDLE gone = pkcs11_group_create_certificate(session, "Group Gone");
    TEST_ASSERT_RV(CKR_OK, C_DestroyObject(session, gone));
    CK_BYTE point_before[80], point_after[80], hash[32], signature_before[64], signature_after[64];
    CK_ATTRIBUTE point = {CKA_EC_POINT, point_before, sizeof(point_before)};
    TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, public_key, &point, 1));
    CK_ULONG point_length = point.ulValueLen;
    memset(hash, 0x42, sizeof(hash));
    pkcs11_group_ecdsa_sign(session, private_key, hash, signature_before);

    TEST_ASSERT_RV(CKR_OK, C_Finalize(NULL));
    TEST_ASSERT_RV(CKR_CRYPTOKI_NOT_INITIALIZED, C_CloseSession(session));
    TEST_ASSERT_RV(CKR_OK, C_Initialize(NULL));
    TEST_ASSERT_RV(CKR_OK, C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &session));
    pkcs11_group_login(session);

    private_key = pkcs11_group_find_one(session, CKO_PRIVATE_KEY, PKCS11_LABEL_DEVICE_PRIVATE_KEY);
    public_key = pkcs11_group_find_one(session, CKO_PUBLIC_KEY, PKCS11_LABEL_DEVICE_PUBLIC_KEY);
    CK_OBJECT_HANDLE certificate = pkcs11_group_find_one(session, CKO_CERTIFICATE, PKCS11_LABEL_DEVICE_CERTIFICATE);
    CK_OBJECT_HANDLE none[1];
    TEST_ASSERT_EQ(0, pkcs11_group_find(session, CK_UNAVAILABLE_INFORMATION, "Group Gone", none, 1));
    TEST_ASSERT_EQ(CK_TRUE, pkcs11_group_attribute_bool(session, private_key, CKA_LOCAL));
    point = (CK_ATTRIBUTE){CKA_EC_POINT, point_after, sizeof(point_after)};
    TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, public_key, &point, 1));
    TEST_ASSERT_EQ(point_length, point.ulValueLen);
    TEST_ASSERT_MEM_EQ(point_before, point_after, point_length);
    pkcs11_group_ecdsa_sign(session, private_key, hash, signature_after);
    TEST_ASSERT_MEM_EQ(signature_before, signature_after, sizeof(signature_after));
    TEST_ASSERT_RV(CKR_OK, pkcs11_group_ecdsa_verify(session, public_key, hash, signature_after));
    static CK_BYTE value[sizeof(kat_certificate)];
    CK_ATTRIBUTE a = {CKA_VALUE, value, sizeof(value)};
    TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, certificate, &a, 1));
    TEST_ASSERT_MEM_EQ(kat_certificate, value, sizeof(kat_certificate));
    pkcs11_group_end();
}

/* ---- A full store ---- */

TEST(PKCS11, FullStoreRefusesOneMoreAndKeepsTheRest)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE handles[PKCS11_CONFIG_MAX_OBJECTS];
    char label[PKCS11_CONFIG_MAX_LABEL_LENGTH + 1];
    for (unsigned i = 0; i < PKCS11_CONFIG_MAX_OBJECTS; i++) {
        numbered_label(label, sizeof(label), "Fill ", i);
        handles[i] = pkcs11_group_create_certificate(session, label);
    }
    /* The store holds PKCS11_CONFIG_MAX_OBJECTS objects: one more is refused and nothing changes. */
    CK_OBJECT_CLASS certificate_class = CKO_CERTIFICATE;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &certificate_class, sizeof(certificate_class)},
                        {CKA_LABEL, "One Too Many", 12},
                        {CKA_VALUE, (CK_VOID_PTR)kat_certificate, sizeof(kat_certificate)}};
    CK_OBJECT_HANDLE extra = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_DEVICE_ERROR, C_CreateObject(session, t, PKCS11_GROUP_COUNT(t), &extra));
    CK_OBJECT_HANDLE found[PKCS11_CONFIG_MAX_OBJECTS + 1];
    TEST_ASSERT_EQ(PKCS11_CONFIG_MAX_OBJECTS,
                   pkcs11_group_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, PKCS11_CONFIG_MAX_OBJECTS + 1));
    /* A label that exists can still be rewritten in a full store. */
    numbered_label(label, sizeof(label), "Fill ", 0);
    TEST_ASSERT_EQ(handles[0], pkcs11_group_create_certificate(session, label));
    /* Every object reads back whole. */
    static CK_BYTE value[sizeof(kat_certificate)];
    for (unsigned i = 0; i < PKCS11_CONFIG_MAX_OBJECTS; i++) {
        CK_ATTRIBUTE a = {CKA_VALUE, value, sizeof(value)};
        TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, handles[i], &a, 1));
        TEST_ASSERT_MEM_EQ(kat_certificate, value, sizeof(kat_certificate));
    }
    /* Room again after a destroy. */
    TEST_ASSERT_RV(CKR_OK, C_DestroyObject(session, handles[PKCS11_CONFIG_MAX_OBJECTS - 1]));
    TEST_ASSERT_RV(CKR_OK, C_CreateObject(session, t, PKCS11_GROUP_COUNT(t), &extra));
    pkcs11_group_end();
}

/* ---- Several tasks at once ---- */

/* A task's work and the first thing that went wrong in it (tasks never end the case themselves: a task stopped
 * inside a C_* call would hold the module's lock). */
struct worker {
    unsigned index;
    CK_SESSION_HANDLE session;
    CK_OBJECT_HANDLE private_key, public_key;
    CK_BYTE hash[32];
    CK_BYTE expected[64];
    unsigned rounds;
    const char *failed; /* NULL while all is well */
    bool failed_with_code;
    CK_RV failed_rv, wanted_rv;
    unsigned failed_round;
    SemaphoreHandle_t done;
};

static struct worker workers[TEST_PKCS11_SIGNING_TASKS + 1];

/* Records the first failure of a task: a wrong return code, or (holds false) a wrong result. */
static void worker_failed(struct worker *w, unsigned round, const char *what, bool with_code, CK_RV wanted, CK_RV rv)
{
    if (w->failed == NULL) {
        w->failed = what;
        w->failed_with_code = with_code;
        w->failed_rv = rv;
        w->wanted_rv = wanted;
        w->failed_round = round;
    }
}

static bool worker_check(struct worker *w, unsigned round, const char *what, CK_RV wanted, CK_RV rv)
{
    if (rv != wanted) {
        worker_failed(w, round, what, true, wanted, rv);
    }
    return rv == wanted;
}

static void worker_expect(struct worker *w, unsigned round, const char *what, bool holds)
{
    if (!holds) {
        worker_failed(w, round, what, false, CKR_OK, CKR_OK);
    }
}

/* One round of a signing task: sign (the same signature as the case made alone), verify it, refuse a corrupted
 * one, and a digest known answer. */
static void signing_round(struct worker *w, unsigned round)
{
    CK_MECHANISM ecdsa = {CKM_ECDSA, NULL, 0}, sha256 = {CKM_SHA256, NULL, 0};
    CK_BYTE signature[64], digest[32];
    CK_ULONG length = sizeof(signature);
    if (!worker_check(w, round, "C_SignInit", CKR_OK, C_SignInit(w->session, &ecdsa, w->private_key)) ||
        !worker_check(w, round, "C_Sign", CKR_OK, C_Sign(w->session, w->hash, 32, signature, &length))) {
        return;
    }
    worker_expect(w, round, "C_Sign gave another signature than the case made alone",
                  length == 64 && memcmp(signature, w->expected, 64) == 0);
    (void)worker_check(w, round, "C_Verify", CKR_OK,
                       pkcs11_group_ecdsa_verify(w->session, w->public_key, w->hash, signature));
    signature[round % 64u] ^= 0x01;
    (void)worker_check(w, round, "C_Verify of a corrupted signature", CKR_SIGNATURE_INVALID,
                       pkcs11_group_ecdsa_verify(w->session, w->public_key, w->hash, signature));
    length = sizeof(digest);
    if (worker_check(w, round, "C_DigestInit", CKR_OK, C_DigestInit(w->session, &sha256)) &&
        worker_check(w, round, "C_Digest", CKR_OK, C_Digest(w->session, (CK_BYTE_PTR) "abc", 3, digest, &length))) {
        worker_expect(w, round, "C_Digest gave a wrong SHA-256(\"abc\")",
                      length == 32 && memcmp(digest, kat_sha256_abc, 32) == 0);
    }
}

static void signing_task(void *parameter)
{
    struct worker *w = parameter;
    if (worker_check(w, 0, "C_OpenSession", CKR_OK, C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &w->session))) {
        for (unsigned round = 0; round < TEST_PKCS11_CONCURRENT_ROUNDS; round++) {
            signing_round(w, round);
            w->rounds++;
        }
        (void)worker_check(w, TEST_PKCS11_CONCURRENT_ROUNDS, "C_CloseSession", CKR_OK, C_CloseSession(w->session));
    }
    (void)xSemaphoreGive(w->done);
    vTaskSuspend(NULL); /* the runner deletes it after the case */
}

/* One round of the task that changes the store meanwhile: a certificate created, found, read, destroyed. */
static void changing_round(struct worker *w, unsigned round)
{
    char label[16];
    numbered_label(label, sizeof(label), "Concurrent ", round);
    CK_OBJECT_CLASS certificate_class = CKO_CERTIFICATE;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &certificate_class, sizeof(certificate_class)},
                        {CKA_LABEL, label, (CK_ULONG)strlen(label)},
                        {CKA_VALUE, (CK_VOID_PTR)kat_certificate, sizeof(kat_certificate)}};
    CK_OBJECT_HANDLE object = CK_INVALID_HANDLE, found[2] = {CK_INVALID_HANDLE, CK_INVALID_HANDLE};
    CK_ULONG count = 0;
    if (!worker_check(w, round, "C_CreateObject", CKR_OK, C_CreateObject(w->session, t, 3, &object)) ||
        !worker_check(w, round, "C_FindObjectsInit", CKR_OK, C_FindObjectsInit(w->session, &t[1], 1)) ||
        !worker_check(w, round, "C_FindObjects", CKR_OK, C_FindObjects(w->session, found, 2, &count)) ||
        !worker_check(w, round, "C_FindObjectsFinal", CKR_OK, C_FindObjectsFinal(w->session))) {
        return;
    }
    worker_expect(w, round, "C_FindObjects did not find exactly the object just made",
                  count == 1 && found[0] == object);
    CK_ATTRIBUTE size = {CKA_VALUE, NULL, 0};
    if (worker_check(w, round, "C_GetAttributeValue", CKR_OK, C_GetAttributeValue(w->session, object, &size, 1))) {
        worker_expect(w, round, "C_GetAttributeValue gave a wrong certificate size",
                      size.ulValueLen == sizeof(kat_certificate));
    }
    (void)worker_check(w, round, "C_DestroyObject", CKR_OK, C_DestroyObject(w->session, object));
}

static void changing_task(void *parameter)
{
    struct worker *w = parameter;
    for (unsigned round = 0; round < TEST_PKCS11_CONCURRENT_ROUNDS; round++) {
        changing_round(w, round);
        w->rounds++;
    }
    (void)xSemaphoreGive(w->done);
    vTaskSuspend(NULL);
}

static void report_worker(const struct worker *w)
{
    if (w->failed != NULL && !w->failed_with_code) {
        TEST_FAIL("task %u, round %u: %s", w->index, w->failed_round, w->failed);
    }
    if (w->failed != NULL) {
        const char *got = pkcs11_group_rv_name(w->failed_rv), *wanted = pkcs11_group_rv_name(w->wanted_rv);
        TEST_FAIL("task %u, round %u: got %s (0x%lx), expected %s: %s", w->index, w->failed_round,
                  got != NULL ? got : "a code", (unsigned long)w->failed_rv, wanted != NULL ? wanted : "a code",
                  w->failed);
    }
    TEST_ASSERT_EQ(TEST_PKCS11_CONCURRENT_ROUNDS, w->rounds);
}

/* The signing tasks: as many as sessions allow beside the changing task's, at most TEST_PKCS11_SIGNING_TASKS. */
static unsigned signing_task_count(void)
{
    unsigned count = PKCS11_CONFIG_MAX_SESSIONS - 1u;
    if (count > TEST_PKCS11_SIGNING_TASKS) {
        count = TEST_PKCS11_SIGNING_TASKS;
    }
    if (count < 2u) {
        TEST_FAIL("PKCS11_CONFIG_MAX_SESSIONS is %d: this case needs at least 3", PKCS11_CONFIG_MAX_SESSIONS);
    }
    return count;
}

/* Each signing task gets its own hash and the signature the case made for it alone, before the tasks start. */
static void prepare_signer(struct worker *w, unsigned index, CK_SESSION_HANDLE session, SemaphoreHandle_t done)
{
    memset(w, 0, sizeof(*w));
    w->index = index;
    w->done = done;
    w->private_key = pkcs11_group_find_one(session, CKO_PRIVATE_KEY, PKCS11_LABEL_DEVICE_PRIVATE_KEY);
    w->public_key = pkcs11_group_find_one(session, CKO_PUBLIC_KEY, PKCS11_LABEL_DEVICE_PRIVATE_KEY);
    memset(w->hash, (int)(0x30u + index), sizeof(w->hash));
    pkcs11_group_ecdsa_sign(session, w->private_key, w->hash, w->expected);
}

TEST(PKCS11, SessionsInSeveralTasksAtOnce)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    (void)pkcs11_group_create_ec_private(session, PKCS11_LABEL_DEVICE_PRIVATE_KEY);
    unsigned signers = signing_task_count();
    SemaphoreHandle_t done = xSemaphoreCreateCounting(signers + 1u, 0);
    TEST_ASSERT_NOT_NULL(done);
    for (unsigned i = 0; i < signers; i++) {
        prepare_signer(&workers[i], i, session, done);
    }
    /* The changing task uses this session (logged in, read/write); the signing tasks open read-only ones and
     * share the login, which belongs to the application. */
    struct worker *changer = &workers[signers];
    memset(changer, 0, sizeof(*changer));
    changer->index = signers;
    changer->session = session;
    changer->done = done;
    UBaseType_t priority = uxTaskPriorityGet(NULL);
    for (unsigned i = 0; i < signers; i++) {
        (void)test_task_create(signing_task, "pkcs11 sign", TEST_PKCS11_TASK_STACK_WORDS, &workers[i], priority);
    }
    (void)test_task_create(changing_task, "pkcs11 change", TEST_PKCS11_TASK_STACK_WORDS, changer, priority);
    for (unsigned i = 0; i <= signers; i++) {
        TEST_ASSERT(xSemaphoreTake(done, pdMS_TO_TICKS(TEST_PKCS11_CONCURRENT_WAIT_MS)) == pdTRUE);
    }
    vSemaphoreDelete(done);
    for (unsigned i = 0; i <= signers; i++) {
        report_worker(&workers[i]);
    }
    /* Only this case's session is left, and only the key (and its view) is in the store. */
    CK_TOKEN_INFO token;
    TEST_ASSERT_RV(CKR_OK, C_GetTokenInfo(0, &token));
    TEST_ASSERT_EQ(1, token.ulSessionCount);
    CK_OBJECT_HANDLE found[4];
    TEST_ASSERT_EQ(2, pkcs11_group_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 4));
    pkcs11_group_end();
}

/* ---- Last: what the group leaves behind ---- */

/* Runs last (cases run in source order): every case above emptied the store at its end, and this one checks it
 * without destroying anything first. */
TEST(PKCS11, GroupLeavesTheStoreEmpty)
{
    pkcs11_group_check_store_left_empty();
}
