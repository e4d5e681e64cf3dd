/* Alder PKCS#11: the module's shared state and the helpers its C_* functions share (sessions, locking, logging).
 * It must never be included by an application or a PAL: nothing here is interface, all of it may change. */
#ifndef PKCS11_INTERNAL_H
#define PKCS11_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkcs11.h"
#include "pkcs11_config_defaults.h"
#include "pkcs11_template.h"

/* The one slot, and the token in it. */
#define PKCS11_SLOT_ID 0UL

/* Object handles the module gives out: the PAL handle times two, plus one for the public-key view of a
 * stored private key (README.md, "Object model"). So 0 is never a handle, and every handle the module
 * can give is below PKCS11_HANDLE_LIMIT. */
#define PKCS11_HANDLE_LIMIT ((CK_OBJECT_HANDLE)(PKCS11_CONFIG_MAX_OBJECTS + 1) * 2u)

static inline CK_OBJECT_HANDLE pkcs11_handle_make(CK_OBJECT_HANDLE pal_handle, bool view)
{
    return pal_handle * 2u + (view ? 1u : 0u);
}

/* One operation in progress in a session: which mechanism, on which key. */
typedef struct {
    bool active;
    CK_MECHANISM_TYPE mechanism;
    CK_OBJECT_HANDLE key;
} pkcs11_operation_t;

typedef struct {
    bool open;
    bool read_write;
    struct {
        bool active;
        CK_OBJECT_HANDLE next; /* the next module handle to look at */
        pkcs11_find_query_t query;
    } find;
    pkcs11_operation_t sign, verify, digest;
} pkcs11_session_t;

typedef struct {
    bool initialized;
    bool logged_in; /* the user PIN was given: per application, shared by every session (the standard) */
    CK_CREATEMUTEX create_mutex;
    CK_DESTROYMUTEX destroy_mutex;
    CK_LOCKMUTEX lock_mutex;
    CK_UNLOCKMUTEX unlock_mutex;
    void *mutex;
    pkcs11_session_t sessions[PKCS11_CONFIG_MAX_SESSIONS];
} pkcs11_module_t;

/* The module's state. Everything in it but `initialized` is read and written only with the lock held. */
extern pkcs11_module_t pkcs11_module;

/* Start a C_* call: CKR_CRYPTOKI_NOT_INITIALIZED before C_Initialize, CKR_GENERAL_ERROR if the lock
 * fails, else CKR_OK with the module's lock held. Every pkcs11_enter that returns CKR_OK is paired with
 * one pkcs11_leave. */
CK_RV pkcs11_enter(void);
void pkcs11_leave(void);

/* The open session with this handle, or NULL (the caller returns CKR_SESSION_HANDLE_INVALID). */
pkcs11_session_t *pkcs11_session_get(CK_SESSION_HANDLE handle);

/* Start a C_* call on a session: pkcs11_enter, then the session (into *session unless it is NULL). CKR_OK with
 * the lock held, to be paired with pkcs11_leave; or pkcs11_enter's error, or CKR_SESSION_HANDLE_INVALID with the
 * lock already released. */
CK_RV pkcs11_enter_session(CK_SESSION_HANDLE handle, pkcs11_session_t **session);

/* Forget every session and the login; used by C_CloseAllSessions and C_Finalize. */
void pkcs11_sessions_reset(void);

/* Report a problem through PKCS11_CONFIG_LOG as "alder-pkcs11: <what> <number>: <detail>". The number is
 * a handle, never data; detail is one of the module's own constant strings. */
void pkcs11_log(const char *what, unsigned long number, const char *detail);

/* Copy text into a blank-padded, not terminated field of the standard's structures. */
void pkcs11_pad_copy(CK_UTF8CHAR *field, size_t field_size, const char *text);

#endif /* PKCS11_INTERNAL_H */
