/* Alder PKCS#11: the cryptographic functions: C_SignInit/C_Sign, C_VerifyInit/C_Verify, C_DigestInit/C_Digest and
 * C_GenerateRandom (single-part only).
 * It must never sign with a key the caller may not use: the key is looked up, its class, usage flag and the
 * login are checked again at C_Sign, since the store or the login may have changed since C_SignInit. */
#include "pkcs11.h"
#include "pkcs11_crypto.h"
#include "pkcs11_internal.h"
#include "pkcs11_object.h"

/* For the usage flag open_key reads: only with the module lock held, like every module buffer. */
static uint8_t flag_scratch[PKCS11_ATTRIBUTE_SCRATCH_SIZE];

/* Whether an open key may do this: the right class, the login for a private key, the usage flag, and a
 * key type that goes with the mechanism. */
static CK_RV key_allows(pkcs11_object_t *key, CK_MECHANISM_TYPE mechanism, bool sign)
{
    CK_OBJECT_CLASS object_class = pkcs11_object_class(key);
    if (object_class == CKO_CERTIFICATE) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    if (pkcs11_object_is_private(key) && !pkcs11_module.logged_in) {
        return sign ? CKR_USER_NOT_LOGGED_IN : CKR_KEY_HANDLE_INVALID;
    }
    const uint8_t *allowed = NULL;
    size_t length = 0;
    if (object_class != (sign ? CKO_PRIVATE_KEY : CKO_PUBLIC_KEY) ||
        pkcs11_object_attribute(key, sign ? CKA_SIGN : CKA_VERIFY, flag_scratch, &allowed, &length) != CKR_OK ||
        length != 1 || allowed[0] != CK_TRUE) {
        return CKR_KEY_FUNCTION_NOT_PERMITTED;
    }
    return pkcs11_crypto_signature_size(mechanism, key->record.type) != 0 ? CKR_OK : CKR_KEY_TYPE_INCONSISTENT;
}

/* A key usable for this operation: CKR_OK with the object open (the caller closes it), or why not. */
static CK_RV open_key(CK_OBJECT_HANDLE handle, CK_MECHANISM_TYPE mechanism, bool sign, pkcs11_object_t *key)
{
    CK_RV rv = pkcs11_object_open(handle, key);
    if (rv != CKR_OK) {
        return rv == CKR_OBJECT_HANDLE_INVALID ? CKR_KEY_HANDLE_INVALID : rv;
    }
    rv = key_allows(key, mechanism, sign);
    if (rv != CKR_OK) {
        pkcs11_object_close(key);
    }
    return rv;
}

static CK_RV check_mechanism(const CK_MECHANISM *mechanism, CK_MECHANISM_TYPE first, CK_MECHANISM_TYPE second)
{
    if (mechanism->mechanism != first && mechanism->mechanism != second) {
        return CKR_MECHANISM_INVALID;
    }
    if (mechanism->pParameter != NULL || mechanism->ulParameterLen != 0) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    return CKR_OK;
}

/* C_SignInit and C_VerifyInit. */
static CK_RV operation_init(CK_SESSION_HANDLE session, const CK_MECHANISM *mechanism, CK_OBJECT_HANDLE key, bool sign)
{
    pkcs11_session_t *s = pkcs11_session_get(session);
    if (s == NULL) {
        return CKR_SESSION_HANDLE_INVALID;
    }
    if (mechanism == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    pkcs11_operation_t *operation = sign ? &s->sign : &s->verify;
    if (operation->active) {
        return CKR_OPERATION_ACTIVE;
    }
    CK_RV rv = check_mechanism(mechanism, CKM_ECDSA, CKM_RSA_PKCS);
    pkcs11_object_t object;
    if (rv == CKR_OK) {
        rv = open_key(key, mechanism->mechanism, sign, &object);
    }
    if (rv == CKR_OK) {
        mbedtls_pk_context *parsed = NULL;
        rv = pkcs11_object_key(&object, &parsed); /* a damaged key fails here, not later */
        pkcs11_object_close(&object);
    }
    if (rv == CKR_OK) {
        *operation = (pkcs11_operation_t){true, mechanism->mechanism, key};
    }
    return rv;
}

CK_RV C_SignInit(CK_SESSION_HANDLE session, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE key)
{
    CK_RV rv = pkcs11_enter();
    if (rv != CKR_OK) {
        return rv;
    }
    rv = operation_init(session, mechanism, key, true);
    pkcs11_leave();
    return rv;
}

CK_RV C_VerifyInit(CK_SESSION_HANDLE session, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE key)
{
    CK_RV rv = pkcs11_enter();
    if (rv != CKR_OK) {
        return rv;
    }
    rv = operation_init(session, mechanism, key, false);
    pkcs11_leave();
    return rv;
}

/* Sign with the operation's key into signature (room for size bytes). */
static CK_RV sign_now(const pkcs11_operation_t *operation, const uint8_t *data, size_t length, uint8_t *signature)
{
    pkcs11_object_t object;
    CK_RV rv = open_key(operation->key, operation->mechanism, true, &object);
    if (rv != CKR_OK) {
        return rv;
    }
    mbedtls_pk_context *key = NULL;
    rv = pkcs11_object_key(&object, &key);
    if (rv == CKR_OK) {
        rv = pkcs11_crypto_sign(key, operation->mechanism, data, length, signature);
    }
    pkcs11_object_close(&object);
    return rv;
}

/* The standard's rules: a NULL signature asks for the length, a short buffer gets CKR_BUFFER_TOO_SMALL;
 * both leave the operation active. Every other outcome ends it. */
static CK_RV sign(pkcs11_session_t *s, const uint8_t *data, CK_ULONG length, uint8_t *signature,
                  CK_ULONG_PTR signature_length)
{
    if (!s->sign.active) {
        return CKR_OPERATION_NOT_INITIALIZED;
    }
    if (signature_length == NULL || (data == NULL && length > 0)) {
        s->sign.active = false;
        return CKR_ARGUMENTS_BAD;
    }
    pkcs11_object_t object;
    CK_RV rv = open_key(s->sign.key, s->sign.mechanism, true, &object);
    if (rv != CKR_OK) {
        s->sign.active = false;
        return rv;
    }
    size_t size = pkcs11_crypto_signature_size(s->sign.mechanism, object.record.type);
    pkcs11_object_close(&object);
    if (signature == NULL || *signature_length < size) {
        *signature_length = size;
        return signature == NULL ? CKR_OK : CKR_BUFFER_TOO_SMALL;
    }
    rv = sign_now(&s->sign, data, length, signature);
    if (rv == CKR_OK) {
        *signature_length = size;
    }
    s->sign.active = false;
    return rv;
}

CK_RV C_Sign(CK_SESSION_HANDLE session, CK_BYTE_PTR data, CK_ULONG length, CK_BYTE_PTR signature,
             CK_ULONG_PTR signature_length)
{
    pkcs11_session_t *s = NULL;
    CK_RV rv = pkcs11_enter_session(session, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = sign(s, data, length, signature, signature_length);
    pkcs11_leave();
    return rv;
}

static CK_RV verify(pkcs11_session_t *s, const uint8_t *data, CK_ULONG length, const uint8_t *signature,
                    CK_ULONG signature_length)
{
    if (!s->verify.active) {
        return CKR_OPERATION_NOT_INITIALIZED;
    }
    s->verify.active = false; /* C_Verify always ends the operation */
    if (signature == NULL || (data == NULL && length > 0)) {
        return CKR_ARGUMENTS_BAD;
    }
    pkcs11_object_t object;
    CK_RV rv = open_key(s->verify.key, s->verify.mechanism, false, &object);
    if (rv != CKR_OK) {
        return rv;
    }
    mbedtls_pk_context *key = NULL;
    rv = pkcs11_object_key(&object, &key);
    if (rv == CKR_OK) {
        rv = pkcs11_crypto_verify(key, s->verify.mechanism, data, length, signature, signature_length);
    }
    pkcs11_object_close(&object);
    return rv;
}

CK_RV C_Verify(CK_SESSION_HANDLE session, CK_BYTE_PTR data, CK_ULONG length, CK_BYTE_PTR signature,
               CK_ULONG signature_length)
{
    pkcs11_session_t *s = NULL;
    CK_RV rv = pkcs11_enter_session(session, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = verify(s, data, length, signature, signature_length);
    pkcs11_leave();
    return rv;
}

CK_RV C_DigestInit(CK_SESSION_HANDLE session, CK_MECHANISM_PTR mechanism)
{
    pkcs11_session_t *s = NULL;
    CK_RV rv = pkcs11_enter_session(session, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (mechanism == NULL) {
        rv = CKR_ARGUMENTS_BAD;
    } else if (s->digest.active) {
        rv = CKR_OPERATION_ACTIVE;
    } else {
        rv = check_mechanism(mechanism, CKM_SHA256, CKM_SHA256);
        s->digest.active = (rv == CKR_OK);
        s->digest.mechanism = CKM_SHA256;
    }
    pkcs11_leave();
    return rv;
}

static CK_RV digest(pkcs11_session_t *s, const uint8_t *data, CK_ULONG length, uint8_t *out, CK_ULONG_PTR out_length)
{
    if (!s->digest.active) {
        return CKR_OPERATION_NOT_INITIALIZED;
    }
    if (out_length == NULL || (data == NULL && length > 0)) {
        s->digest.active = false;
        return CKR_ARGUMENTS_BAD;
    }
    if (out == NULL || *out_length < PKCS11_SHA256_SIZE) {
        *out_length = PKCS11_SHA256_SIZE;
        return out == NULL ? CKR_OK : CKR_BUFFER_TOO_SMALL;
    }
    s->digest.active = false;
    CK_RV rv = pkcs11_crypto_sha256(data, length, out);
    if (rv == CKR_OK) {
        *out_length = PKCS11_SHA256_SIZE;
    }
    return rv;
}

CK_RV C_Digest(CK_SESSION_HANDLE session, CK_BYTE_PTR data, CK_ULONG length, CK_BYTE_PTR out, CK_ULONG_PTR out_length)
{
    pkcs11_session_t *s = NULL;
    CK_RV rv = pkcs11_enter_session(session, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = digest(s, data, length, out, out_length);
    pkcs11_leave();
    return rv;
}

CK_RV C_GenerateRandom(CK_SESSION_HANDLE session, CK_BYTE_PTR out, CK_ULONG length)
{
    CK_RV rv = pkcs11_enter_session(session, NULL);
    if (rv != CKR_OK) {
        return rv;
    }
    if (out == NULL && length > 0) {
        rv = CKR_ARGUMENTS_BAD;
    } else {
        rv = pkcs11_crypto_random(out, length);
    }
    pkcs11_leave();
    return rv;
}
