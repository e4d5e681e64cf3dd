/* Alder PKCS#11: the module's entry (C_GetFunctionList), its life cycle and locking, the slot and token
 * descriptions, and the functions it does not implement.
 * It must never let two C_* calls touch the module's state at once: every call past C_Initialize runs
 * between pkcs11_enter and pkcs11_leave, which hold the one module lock. */
#include <string.h>

#include "pkcs11.h"
#include "pkcs11_crypto.h"
#include "pkcs11_internal.h"
#include "pkcs11_os.h"
#include "pkcs11_pal.h"
#include "pkcs11_version.h"

#define MANUFACTURER "Alder"
#define CRYPTOKI_MAJOR 2
#define CRYPTOKI_MINOR 40

pkcs11_module_t pkcs11_module;

/* The standard's table of entry points, in the standard's order (pkcs11.h makes it from one list). */
#define PKCS11_FUNCTION_ENTRY(name, params) name,
static CK_FUNCTION_LIST function_list = {{CRYPTOKI_MAJOR, CRYPTOKI_MINOR}, PKCS11_FUNCTIONS(PKCS11_FUNCTION_ENTRY)};
#undef PKCS11_FUNCTION_ENTRY

/* The mechanisms, and what each does with which key sizes (bits; 0 for a digest). */
static const struct {
    CK_MECHANISM_TYPE type;
    CK_MECHANISM_INFO info;
} mechanisms[] = {
    {CKM_EC_KEY_PAIR_GEN, {256, 256, CKF_GENERATE_KEY_PAIR | CKF_EC_F_P | CKF_EC_NAMEDCURVE | CKF_EC_UNCOMPRESS}},
    {CKM_ECDSA, {256, 256, CKF_SIGN | CKF_VERIFY | CKF_EC_F_P | CKF_EC_NAMEDCURVE | CKF_EC_UNCOMPRESS}},
    {CKM_RSA_PKCS, {2048, 2048, CKF_SIGN | CKF_VERIFY}},
    {CKM_SHA256, {0, 0, CKF_DIGEST}},
};
#define MECHANISM_COUNT (sizeof(mechanisms) / sizeof(mechanisms[0]))

void pkcs11_pad_copy(CK_UTF8CHAR *field, size_t field_size, const char *text)
{
    size_t length = strlen(text);
    if (length > field_size) {
        length = field_size;
    }
    memset(field, ' ', field_size);
    memcpy(field, text, length);
}

static size_t append(char *line, size_t size, size_t at, const char *text)
{
    while (*text != '\0' && at + 1 < size) {
        line[at++] = *text++;
    }
    line[at] = '\0';
    return at;
}

void pkcs11_log(const char *what, unsigned long number, const char *detail)
{
    char digits[24];
    size_t d = sizeof(digits) - 1;
    digits[d] = '\0';
    do {
        digits[--d] = (char)('0' + number % 10u);
        number /= 10u;
    } while (number != 0 && d > 0);
    char line[160];
    size_t at = append(line, sizeof(line), 0, "alder-pkcs11: ");
    at = append(line, sizeof(line), at, what);
    at = append(line, sizeof(line), at, " ");
    at = append(line, sizeof(line), at, digits + d);
    at = append(line, sizeof(line), at, ": ");
    (void)append(line, sizeof(line), at, detail);
    PKCS11_CONFIG_LOG(line);
}

CK_RV pkcs11_enter(void)
{
    if (!pkcs11_module.initialized) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    return pkcs11_module.lock_mutex(pkcs11_module.mutex) == CKR_OK ? CKR_OK : CKR_GENERAL_ERROR;
}

void pkcs11_leave(void)
{
    (void)pkcs11_module.unlock_mutex(pkcs11_module.mutex);
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list)
{
    if (list == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    *list = &function_list;
    return CKR_OK;
}

/* The application's mutex callbacks when it gives all four; otherwise the OS shim. With no arguments,
 * or without CKF_OS_LOCKING_OK, the standard lets the module skip locking; it locks anyway, since it
 * costs little and a caller that breaks that promise then still gets correct results. */
static CK_RV choose_locking(const CK_C_INITIALIZE_ARGS *args)
{
    pkcs11_module.create_mutex = pkcs11_os_mutex_create;
    pkcs11_module.destroy_mutex = pkcs11_os_mutex_destroy;
    pkcs11_module.lock_mutex = pkcs11_os_mutex_lock;
    pkcs11_module.unlock_mutex = pkcs11_os_mutex_unlock;
    if (args == NULL) {
        return CKR_OK;
    }
    if (args->pReserved != NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    int given = (args->CreateMutex != NULL) + (args->DestroyMutex != NULL) + (args->LockMutex != NULL) +
                (args->UnlockMutex != NULL);
    if (given != 0 && given != 4) {
        return CKR_ARGUMENTS_BAD;
    }
    if (given == 4) {
        pkcs11_module.create_mutex = args->CreateMutex;
        pkcs11_module.destroy_mutex = args->DestroyMutex;
        pkcs11_module.lock_mutex = args->LockMutex;
        pkcs11_module.unlock_mutex = args->UnlockMutex;
    }
    return CKR_OK;
}

CK_RV C_Initialize(CK_VOID_PTR init_args)
{
    if (pkcs11_module.initialized) {
        return CKR_CRYPTOKI_ALREADY_INITIALIZED;
    }
    CK_RV rv = choose_locking(init_args);
    if (rv != CKR_OK) {
        return rv;
    }
    if (pkcs11_module.create_mutex(&pkcs11_module.mutex) != CKR_OK) {
        return CKR_CANT_LOCK;
    }
    rv = PKCS11_PAL_Initialize();
    if (rv == CKR_OK) {
        rv = pkcs11_crypto_start();
    }
    if (rv != CKR_OK) {
        (void)pkcs11_module.destroy_mutex(pkcs11_module.mutex);
        pkcs11_module.mutex = NULL;
        return rv;
    }
    pkcs11_sessions_reset();
    pkcs11_module.initialized = true;
    return CKR_OK;
}

CK_RV C_Finalize(CK_VOID_PTR reserved)
{
    if (reserved != NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    CK_RV rv = pkcs11_enter();
    if (rv != CKR_OK) {
        return rv;
    }
    pkcs11_sessions_reset();
    pkcs11_crypto_stop();
    pkcs11_module.initialized = false;
    pkcs11_leave();
    (void)pkcs11_module.destroy_mutex(pkcs11_module.mutex);
    pkcs11_module.mutex = NULL;
    return CKR_OK;
}

CK_RV C_GetInfo(CK_INFO_PTR info)
{
    if (!pkcs11_module.initialized) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    if (info == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    memset(info, 0, sizeof(*info));
    info->cryptokiVersion = (CK_VERSION){CRYPTOKI_MAJOR, CRYPTOKI_MINOR};
    pkcs11_pad_copy(info->manufacturerID, sizeof(info->manufacturerID), MANUFACTURER);
    pkcs11_pad_copy(info->libraryDescription, sizeof(info->libraryDescription), "Alder PKCS#11 module");
    info->libraryVersion = (CK_VERSION){PKCS11_VERSION_MAJOR, PKCS11_VERSION_MINOR};
    return CKR_OK;
}

CK_RV C_GetSlotList(CK_BBOOL token_present, CK_SLOT_ID_PTR slots, CK_ULONG_PTR count)
{
    (void)token_present; /* the one slot always holds the token */
    if (!pkcs11_module.initialized) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    if (count == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    if (slots == NULL) {
        *count = 1;
        return CKR_OK;
    }
    if (*count < 1) {
        *count = 1;
        return CKR_BUFFER_TOO_SMALL;
    }
    slots[0] = PKCS11_SLOT_ID;
    *count = 1;
    return CKR_OK;
}

/* The opening checks of the slot queries that take no lock, in the standard's order of precedence. */
static CK_RV check_slot_query(CK_SLOT_ID slot, const void *out)
{
    if (!pkcs11_module.initialized) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    if (slot != PKCS11_SLOT_ID) {
        return CKR_SLOT_ID_INVALID;
    }
    return out == NULL ? CKR_ARGUMENTS_BAD : CKR_OK;
}

CK_RV C_GetSlotInfo(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info)
{
    CK_RV rv = check_slot_query(slot, info);
    if (rv != CKR_OK) {
        return rv;
    }
    memset(info, 0, sizeof(*info));
    pkcs11_pad_copy(info->slotDescription, sizeof(info->slotDescription), "Alder PKCS#11 slot");
    pkcs11_pad_copy(info->manufacturerID, sizeof(info->manufacturerID), MANUFACTURER);
    info->flags = CKF_TOKEN_PRESENT;
    info->firmwareVersion = (CK_VERSION){PKCS11_VERSION_MAJOR, PKCS11_VERSION_MINOR};
    return CKR_OK;
}

static void fill_token_info(CK_TOKEN_INFO *info)
{
    CK_ULONG open = 0, read_write = 0;
    for (size_t i = 0; i < PKCS11_CONFIG_MAX_SESSIONS; i++) {
        open += pkcs11_module.sessions[i].open;
        read_write += pkcs11_module.sessions[i].open && pkcs11_module.sessions[i].read_write;
    }
    memset(info, 0, sizeof(*info));
    pkcs11_pad_copy(info->label, sizeof(info->label), PKCS11_CONFIG_TOKEN_LABEL);
    pkcs11_pad_copy(info->manufacturerID, sizeof(info->manufacturerID), MANUFACTURER);
    pkcs11_pad_copy(info->model, sizeof(info->model), "Alder PKCS#11");
    pkcs11_pad_copy(info->serialNumber, sizeof(info->serialNumber), "1");
    info->flags = CKF_RNG | CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED | CKF_TOKEN_INITIALIZED;
    info->ulMaxSessionCount = PKCS11_CONFIG_MAX_SESSIONS;
    info->ulSessionCount = open;
    info->ulMaxRwSessionCount = PKCS11_CONFIG_MAX_SESSIONS;
    info->ulRwSessionCount = read_write;
    info->ulMaxPinLen = sizeof(PKCS11_CONFIG_USER_PIN) - 1;
    info->ulMinPinLen = sizeof(PKCS11_CONFIG_USER_PIN) - 1;
    info->ulTotalPublicMemory = CK_UNAVAILABLE_INFORMATION;
    info->ulFreePublicMemory = CK_UNAVAILABLE_INFORMATION;
    info->ulTotalPrivateMemory = CK_UNAVAILABLE_INFORMATION;
    info->ulFreePrivateMemory = CK_UNAVAILABLE_INFORMATION;
    info->firmwareVersion = (CK_VERSION){PKCS11_VERSION_MAJOR, PKCS11_VERSION_MINOR};
    pkcs11_pad_copy(info->utcTime, sizeof(info->utcTime), ""); /* no clock on the token */
}

CK_RV C_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info)
{
    CK_RV rv = pkcs11_enter();
    if (rv != CKR_OK) {
        return rv;
    }
    if (slot != PKCS11_SLOT_ID) {
        rv = CKR_SLOT_ID_INVALID;
    } else if (info == NULL) {
        rv = CKR_ARGUMENTS_BAD;
    } else {
        fill_token_info(info);
    }
    pkcs11_leave();
    return rv;
}

CK_RV C_GetMechanismList(CK_SLOT_ID slot, CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count)
{
    CK_RV rv = check_slot_query(slot, count);
    if (rv != CKR_OK) {
        return rv;
    }
    if (list != NULL && *count < MECHANISM_COUNT) {
        *count = MECHANISM_COUNT;
        return CKR_BUFFER_TOO_SMALL;
    }
    for (size_t i = 0; list != NULL && i < MECHANISM_COUNT; i++) {
        list[i] = mechanisms[i].type;
    }
    *count = MECHANISM_COUNT;
    return CKR_OK;
}

CK_RV C_GetMechanismInfo(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info)
{
    CK_RV rv = check_slot_query(slot, info);
    if (rv != CKR_OK) {
        return rv;
    }
    for (size_t i = 0; i < MECHANISM_COUNT; i++) {
        if (mechanisms[i].type == type) {
            *info = mechanisms[i].info;
            return CKR_OK;
        }
    }
    return CKR_MECHANISM_INVALID;
}

/* ---- Functions the module does not implement. Their parameters are unused by design. ---- */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#endif
#define ANSWER(name, params, rv)                                                                                       \
    CK_RV name params                                                                                                  \
    {                                                                                                                  \
        return rv;                                                                                                     \
    }
#define NOT_SUPPORTED(name, params) ANSWER(name, params, CKR_FUNCTION_NOT_SUPPORTED)

NOT_SUPPORTED(C_InitToken, (CK_SLOT_ID slot, CK_UTF8CHAR_PTR pin, CK_ULONG pin_len, CK_UTF8CHAR_PTR label))
NOT_SUPPORTED(C_InitPIN, (CK_SESSION_HANDLE session, CK_UTF8CHAR_PTR pin, CK_ULONG pin_len))
NOT_SUPPORTED(C_SetPIN, (CK_SESSION_HANDLE session, CK_UTF8CHAR_PTR old_pin, CK_ULONG old_len, CK_UTF8CHAR_PTR new_pin,
                         CK_ULONG new_len))
NOT_SUPPORTED(C_GetOperationState, (CK_SESSION_HANDLE session, CK_BYTE_PTR state, CK_ULONG_PTR state_len))
NOT_SUPPORTED(C_SetOperationState, (CK_SESSION_HANDLE session, CK_BYTE_PTR state, CK_ULONG state_len,
                                    CK_OBJECT_HANDLE encryption_key, CK_OBJECT_HANDLE authentication_key))
NOT_SUPPORTED(C_CopyObject, (CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_PTR attributes,
                             CK_ULONG count, CK_OBJECT_HANDLE_PTR new_object))
NOT_SUPPORTED(C_GetObjectSize, (CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object, CK_ULONG_PTR size))
NOT_SUPPORTED(C_SetAttributeValue,
              (CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_PTR attributes, CK_ULONG count))
NOT_SUPPORTED(C_EncryptInit, (CK_SESSION_HANDLE session, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE key))
NOT_SUPPORTED(C_Encrypt, (CK_SESSION_HANDLE session, CK_BYTE_PTR data, CK_ULONG data_len, CK_BYTE_PTR encrypted,
                          CK_ULONG_PTR encrypted_len))
NOT_SUPPORTED(C_EncryptUpdate, (CK_SESSION_HANDLE session, CK_BYTE_PTR part, CK_ULONG part_len, CK_BYTE_PTR encrypted,
                                CK_ULONG_PTR encrypted_len))
NOT_SUPPORTED(C_EncryptFinal, (CK_SESSION_HANDLE session, CK_BYTE_PTR last, CK_ULONG_PTR last_len))
NOT_SUPPORTED(C_DecryptInit, (CK_SESSION_HANDLE session, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE key))
NOT_SUPPORTED(C_Decrypt, (CK_SESSION_HANDLE session, CK_BYTE_PTR encrypted, CK_ULONG encrypted_len, CK_BYTE_PTR data,
                          CK_ULONG_PTR data_len))
NOT_SUPPORTED(C_DecryptUpdate, (CK_SESSION_HANDLE session, CK_BYTE_PTR encrypted, CK_ULONG encrypted_len,
                                CK_BYTE_PTR part, CK_ULONG_PTR part_len))
NOT_SUPPORTED(C_DecryptFinal, (CK_SESSION_HANDLE session, CK_BYTE_PTR last, CK_ULONG_PTR last_len))
NOT_SUPPORTED(C_DigestUpdate, (CK_SESSION_HANDLE session, CK_BYTE_PTR part, CK_ULONG part_len))
NOT_SUPPORTED(C_DigestKey, (CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key))
NOT_SUPPORTED(C_DigestFinal, (CK_SESSION_HANDLE session, CK_BYTE_PTR digest, CK_ULONG_PTR digest_len))
NOT_SUPPORTED(C_SignUpdate, (CK_SESSION_HANDLE session, CK_BYTE_PTR part, CK_ULONG part_len))
NOT_SUPPORTED(C_SignFinal, (CK_SESSION_HANDLE session, CK_BYTE_PTR signature, CK_ULONG_PTR signature_len))
NOT_SUPPORTED(C_SignRecoverInit, (CK_SESSION_HANDLE session, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE key))
NOT_SUPPORTED(C_SignRecover, (CK_SESSION_HANDLE session, CK_BYTE_PTR data, CK_ULONG data_len, CK_BYTE_PTR signature,
                              CK_ULONG_PTR signature_len))
NOT_SUPPORTED(C_VerifyUpdate, (CK_SESSION_HANDLE session, CK_BYTE_PTR part, CK_ULONG part_len))
NOT_SUPPORTED(C_VerifyFinal, (CK_SESSION_HANDLE session, CK_BYTE_PTR signature, CK_ULONG signature_len))
NOT_SUPPORTED(C_VerifyRecoverInit, (CK_SESSION_HANDLE session, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE key))
NOT_SUPPORTED(C_VerifyRecover, (CK_SESSION_HANDLE session, CK_BYTE_PTR signature, CK_ULONG signature_len,
                                CK_BYTE_PTR data, CK_ULONG_PTR data_len))
NOT_SUPPORTED(C_DigestEncryptUpdate, (CK_SESSION_HANDLE session, CK_BYTE_PTR part, CK_ULONG part_len,
                                      CK_BYTE_PTR encrypted, CK_ULONG_PTR encrypted_len))
NOT_SUPPORTED(C_DecryptDigestUpdate, (CK_SESSION_HANDLE session, CK_BYTE_PTR encrypted, CK_ULONG encrypted_len,
                                      CK_BYTE_PTR part, CK_ULONG_PTR part_len))
NOT_SUPPORTED(C_SignEncryptUpdate, (CK_SESSION_HANDLE session, CK_BYTE_PTR part, CK_ULONG part_len,
                                    CK_BYTE_PTR encrypted, CK_ULONG_PTR encrypted_len))
NOT_SUPPORTED(C_DecryptVerifyUpdate, (CK_SESSION_HANDLE session, CK_BYTE_PTR encrypted, CK_ULONG encrypted_len,
                                      CK_BYTE_PTR part, CK_ULONG_PTR part_len))
NOT_SUPPORTED(C_GenerateKey, (CK_SESSION_HANDLE session, CK_MECHANISM_PTR mechanism, CK_ATTRIBUTE_PTR attributes,
                              CK_ULONG count, CK_OBJECT_HANDLE_PTR key))
NOT_SUPPORTED(C_WrapKey, (CK_SESSION_HANDLE session, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE wrapping_key,
                          CK_OBJECT_HANDLE key, CK_BYTE_PTR wrapped, CK_ULONG_PTR wrapped_len))
NOT_SUPPORTED(C_UnwrapKey, (CK_SESSION_HANDLE session, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE unwrapping_key,
                            CK_BYTE_PTR wrapped, CK_ULONG wrapped_len, CK_ATTRIBUTE_PTR attributes, CK_ULONG count,
                            CK_OBJECT_HANDLE_PTR key))
NOT_SUPPORTED(C_DeriveKey, (CK_SESSION_HANDLE session, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE base_key,
                            CK_ATTRIBUTE_PTR attributes, CK_ULONG count, CK_OBJECT_HANDLE_PTR key))
NOT_SUPPORTED(C_WaitForSlotEvent, (CK_FLAGS flags, CK_SLOT_ID_PTR slot, CK_VOID_PTR reserved))
/* The standard names the answer for these three: a token that takes no seed, and two legacy functions. */
ANSWER(C_SeedRandom, (CK_SESSION_HANDLE session, CK_BYTE_PTR seed, CK_ULONG seed_len), CKR_RANDOM_SEED_NOT_SUPPORTED)
ANSWER(C_GetFunctionStatus, (CK_SESSION_HANDLE session), CKR_FUNCTION_NOT_PARALLEL)
ANSWER(C_CancelFunction, (CK_SESSION_HANDLE session), CKR_FUNCTION_NOT_PARALLEL)

#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
