/* Alder PKCS#11: sessions and the user login (C_OpenSession ... C_Logout).
 * It must never compare the PIN in a time that depends on where it differs, nor keep a copy of it. */
#include <string.h>

#include "pkcs11.h"
#include "pkcs11_internal.h"

pkcs11_session_t *pkcs11_session_get(CK_SESSION_HANDLE handle)
{
    if (handle < 1u || handle > PKCS11_CONFIG_MAX_SESSIONS) {
        return NULL;
    }
    pkcs11_session_t *session = &pkcs11_module.sessions[handle - 1u];
    return session->open ? session : NULL;
}

CK_RV pkcs11_enter_session(CK_SESSION_HANDLE handle, pkcs11_session_t **session)
{
    CK_RV rv = pkcs11_enter();
    if (rv != CKR_OK) {
        return rv;
    }
    pkcs11_session_t *found = pkcs11_session_get(handle);
    if (found == NULL) {
        pkcs11_leave();
        return CKR_SESSION_HANDLE_INVALID;
    }
    if (session != NULL) {
        *session = found;
    }
    return CKR_OK;
}

void pkcs11_sessions_reset(void)
{
    memset(pkcs11_module.sessions, 0, sizeof(pkcs11_module.sessions));
    pkcs11_module.logged_in = false;
}

static bool any_session_open(void)
{
    for (size_t i = 0; i < PKCS11_CONFIG_MAX_SESSIONS; i++) {
        if (pkcs11_module.sessions[i].open) {
            return true;
        }
    }
    return false;
}

static CK_RV open_session(CK_SLOT_ID slot, CK_FLAGS flags, CK_SESSION_HANDLE_PTR handle)
{
    if (slot != PKCS11_SLOT_ID) {
        return CKR_SLOT_ID_INVALID;
    }
    if (handle == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    if ((flags & CKF_SERIAL_SESSION) == 0) {
        return CKR_SESSION_PARALLEL_NOT_SUPPORTED; /* the standard: always set by applications */
    }
    for (size_t i = 0; i < PKCS11_CONFIG_MAX_SESSIONS; i++) {
        pkcs11_session_t *session = &pkcs11_module.sessions[i];
        if (!session->open) {
            memset(session, 0, sizeof(*session));
            session->open = true;
            session->read_write = (flags & CKF_RW_SESSION) != 0;
            *handle = (CK_SESSION_HANDLE)(i + 1u);
            return CKR_OK;
        }
    }
    return CKR_SESSION_COUNT;
}

/* The application pointer and notify callback are not kept: the module never calls back (no surrender). */
CK_RV C_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR application, CK_NOTIFY notify,
                    CK_SESSION_HANDLE_PTR handle)
{
    (void)application;
    (void)notify;
    CK_RV rv = pkcs11_enter();
    if (rv != CKR_OK) {
        return rv;
    }
    rv = open_session(slot, flags, handle);
    pkcs11_leave();
    return rv;
}

CK_RV C_CloseSession(CK_SESSION_HANDLE handle)
{
    pkcs11_session_t *session = NULL;
    CK_RV rv = pkcs11_enter_session(handle, &session);
    if (rv != CKR_OK) {
        return rv;
    }
    memset(session, 0, sizeof(*session));
    if (!any_session_open()) {
        pkcs11_module.logged_in = false; /* the standard: the login ends with the last session */
    }
    pkcs11_leave();
    return rv;
}

CK_RV C_CloseAllSessions(CK_SLOT_ID slot)
{
    CK_RV rv = pkcs11_enter();
    if (rv != CKR_OK) {
        return rv;
    }
    if (slot != PKCS11_SLOT_ID) {
        rv = CKR_SLOT_ID_INVALID;
    } else {
        pkcs11_sessions_reset();
    }
    pkcs11_leave();
    return rv;
}

CK_RV C_GetSessionInfo(CK_SESSION_HANDLE handle, CK_SESSION_INFO_PTR info)
{
    pkcs11_session_t *session = NULL;
    CK_RV rv = pkcs11_enter_session(handle, &session);
    if (rv != CKR_OK) {
        return rv;
    }
    if (info == NULL) {
        rv = CKR_ARGUMENTS_BAD;
    } else {
        bool user = pkcs11_module.logged_in;
        memset(info, 0, sizeof(*info));
        info->slotID = PKCS11_SLOT_ID;
        info->state = session->read_write ? (user ? CKS_RW_USER_FUNCTIONS : CKS_RW_PUBLIC_SESSION)
                                          : (user ? CKS_RO_USER_FUNCTIONS : CKS_RO_PUBLIC_SESSION);
        info->flags = CKF_SERIAL_SESSION | (session->read_write ? CKF_RW_SESSION : 0);
    }
    pkcs11_leave();
    return rv;
}

/* Constant time in the PIN's bytes; its length is public (C_GetTokenInfo reports it). */
static bool pin_matches(const CK_UTF8CHAR *pin, CK_ULONG length)
{
    static const char expected[] = PKCS11_CONFIG_USER_PIN;
    if (length != sizeof(expected) - 1) {
        return false;
    }
    uint8_t difference = 0;
    for (size_t i = 0; i < sizeof(expected) - 1; i++) {
        difference |= (uint8_t)(pin[i] ^ (CK_UTF8CHAR)expected[i]);
    }
    return difference == 0;
}

static CK_RV login(CK_SESSION_HANDLE handle, CK_USER_TYPE user, const CK_UTF8CHAR *pin, CK_ULONG length)
{
    if (pkcs11_session_get(handle) == NULL) {
        return CKR_SESSION_HANDLE_INVALID;
    }
    if (user == CKU_CONTEXT_SPECIFIC) {
        return CKR_OPERATION_NOT_INITIALIZED; /* no key asks to be authenticated again */
    }
    if (user != CKU_USER) {
        return CKR_USER_TYPE_INVALID; /* one user PIN, no security officer */
    }
    if (pkcs11_module.logged_in) {
        return CKR_USER_ALREADY_LOGGED_IN;
    }
    if (pin == NULL) {
        return CKR_ARGUMENTS_BAD; /* no protected authentication path */
    }
    if (!pin_matches(pin, length)) {
        return CKR_PIN_INCORRECT;
    }
    pkcs11_module.logged_in = true;
    return CKR_OK;
}

CK_RV C_Login(CK_SESSION_HANDLE handle, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG length)
{
    CK_RV rv = pkcs11_enter();
    if (rv != CKR_OK) {
        return rv;
    }
    rv = login(handle, user, pin, length);
    pkcs11_leave();
    return rv;
}

CK_RV C_Logout(CK_SESSION_HANDLE handle)
{
    CK_RV rv = pkcs11_enter_session(handle, NULL);
    if (rv != CKR_OK) {
        return rv;
    }
    if (!pkcs11_module.logged_in) {
        rv = CKR_USER_NOT_LOGGED_IN;
    } else {
        pkcs11_module.logged_in = false;
    }
    pkcs11_leave();
    return rv;
}
