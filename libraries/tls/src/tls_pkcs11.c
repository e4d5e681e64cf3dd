/* Alder TLS: the device's credentials from the PKCS#11 token: the trusted root when the caller gave none, and the
 * client certificate with its key. It must never read a private key's value: only its handle leaves the token. */
#include "tls_pkcs11.h"

#include "mbedtls/platform.h"
#include "pkcs11_client.h"
#include "pkcs11_config_defaults.h"
#include "pkcs11_pal.h"
#include "pkcs11_pk.h"

/* ---- the session ---------------------------------------------------------------------------- */

tls_status_t tls_token_open(tls_token_t *token)
{
    static const char pin[] = TLS_CONFIG_PKCS11_PIN;
    CK_C_INITIALIZE_ARGS args = {.flags = CKF_OS_LOCKING_OK};
    token->session = CK_INVALID_HANDLE;
    if (C_GetFunctionList(&token->functions) != CKR_OK) {
        return TLS_INIT_ERROR;
    }
    CK_RV rv = token->functions->C_Initialize(&args);
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        return TLS_INIT_ERROR;
    }
    if (token->functions->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &token->session) != CKR_OK) {
        return TLS_INIT_ERROR;
    }
    /* The login belongs to the application, not the session (PKCS#11): another user may have done it. */
    rv = token->functions->C_Login(token->session, CKU_USER, (CK_UTF8CHAR_PTR)pin, sizeof pin - 1);
    if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
        tls_token_close(token);
        return TLS_INIT_ERROR;
    }
    return TLS_OK;
}

void tls_token_close(tls_token_t *token)
{
    if (token->session != CK_INVALID_HANDLE) {
        (void)token->functions->C_CloseSession(token->session);
        token->session = CK_INVALID_HANDLE;
    }
}

/* ---- objects -------------------------------------------------------------------------------- */

/* The object of `object_class` under `label`, or CK_INVALID_HANDLE when there is none or the search failed. */
static CK_OBJECT_HANDLE find(const tls_token_t *token, CK_OBJECT_CLASS object_class, const char *label)
{
    return pkcs11_find_object(token->functions, token->session, object_class, label);
}

/* A certificate's DER value, parsed onto `chain`. The DER is read into a heap buffer of its exact size. */
static tls_status_t read_certificate(const tls_token_t *token, CK_OBJECT_HANDLE object, mbedtls_x509_crt *chain)
{
    CK_ATTRIBUTE value = {CKA_VALUE, NULL, 0};
    if (token->functions->C_GetAttributeValue(token->session, object, &value, 1) != CKR_OK || value.ulValueLen == 0 ||
        value.ulValueLen == CK_UNAVAILABLE_INFORMATION) {
        return TLS_INIT_ERROR;
    }
    value.pValue = mbedtls_calloc(1, value.ulValueLen);
    if (value.pValue == NULL) {
        return TLS_INIT_ERROR;
    }
    tls_status_t status = TLS_INIT_ERROR;
    if (token->functions->C_GetAttributeValue(token->session, object, &value, 1) == CKR_OK &&
        mbedtls_x509_crt_parse_der(chain, value.pValue, value.ulValueLen) == 0) {
        status = TLS_OK;
    }
    mbedtls_free(value.pValue);
    return status;
}

tls_status_t tls_token_load_root(tls_token_t *token, mbedtls_x509_crt *root, int *found)
{
    CK_OBJECT_HANDLE object = find(token, CKO_CERTIFICATE, PKCS11_LABEL_ROOT_CERTIFICATE);
    *found = object != CK_INVALID_HANDLE;
    return *found ? read_certificate(token, object, root) : TLS_OK;
}

tls_status_t tls_token_load_client(tls_token_t *token, mbedtls_x509_crt *certificate, mbedtls_pk_context *key,
                                   int *found)
{
    CK_OBJECT_HANDLE certificate_object = find(token, CKO_CERTIFICATE, PKCS11_LABEL_DEVICE_CERTIFICATE);
    CK_OBJECT_HANDLE key_object = find(token, CKO_PRIVATE_KEY, PKCS11_LABEL_DEVICE_PRIVATE_KEY);
    *found = 0;
    if (certificate_object == CK_INVALID_HANDLE && key_object == CK_INVALID_HANDLE) {
        return TLS_OK;
    }
    if (certificate_object == CK_INVALID_HANDLE || key_object == CK_INVALID_HANDLE) {
        return TLS_INIT_ERROR; /* half provisioned: a handshake could only fail later, less clearly */
    }
    if (read_certificate(token, certificate_object, certificate) != TLS_OK ||
        pkcs11_pk_setup(key, token->functions, token->session, key_object, &certificate->pk) != 0) {
        return TLS_INIT_ERROR;
    }
    /* The private key's public view (same label) must be the certificate's key, or the server would refuse us. */
    CK_OBJECT_HANDLE public_object = find(token, CKO_PUBLIC_KEY, PKCS11_LABEL_DEVICE_PRIVATE_KEY);
    mbedtls_pk_context stored_public;
    mbedtls_pk_init(&stored_public);
    int same = public_object != CK_INVALID_HANDLE &&
               pkcs11_pk_load_public(&stored_public, token->functions, token->session, public_object) == 0 &&
               pkcs11_pk_same_public(&stored_public, &certificate->pk);
    mbedtls_pk_free(&stored_public);
    if (!same) {
        return TLS_INIT_ERROR;
    }
    *found = 1;
    return TLS_OK;
}
