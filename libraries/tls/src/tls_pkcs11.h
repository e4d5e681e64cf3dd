/* Alder TLS: the device's credentials from the PKCS#11 token (built with TLS_CONFIG_PKCS11), for tls.c only.
 * It must never read a private key's value: the key signs through C_Sign (pkcs11_pk.h). */
#ifndef TLS_PKCS11_H
#define TLS_PKCS11_H

#include "mbedtls/pk.h"
#include "mbedtls/x509_crt.h"
#include "pkcs11.h"
#include "tls.h"

/* A logged-in session on the token, for one tls_connect. */
typedef struct tls_token {
    CK_FUNCTION_LIST_PTR functions;
    CK_SESSION_HANDLE session;
} tls_token_t;

/* Initialises the module if no one has (with the OS's locks), opens a session and logs in with
 * TLS_CONFIG_PKCS11_PIN. TLS_OK, or TLS_INIT_ERROR (no module, no free session, a refused PIN). */
tls_status_t tls_token_open(tls_token_t *token);

/* Closes the session. The module stays initialised: other code may use it. */
void tls_token_close(tls_token_t *token);

/* Parses the token's "Root Cert" into `root` and sets *found; without one, *found is 0 and TLS_OK.
 * TLS_INIT_ERROR when the object cannot be read or does not parse. */
tls_status_t tls_token_load_root(tls_token_t *token, mbedtls_x509_crt *root, int *found);

/* The client credentials: "Device Cert" into `certificate`, and `key` (initialised, not set up) made a token key
 * over "Device Priv TLS Key". Neither stored: *found is 0 and TLS_OK. Only one of them stored, either unreadable,
 * or a certificate that is not the key's (its public half differs): TLS_INIT_ERROR. */
tls_status_t tls_token_load_client(tls_token_t *token, mbedtls_x509_crt *certificate, mbedtls_pk_context *key,
                                   int *found);

#endif /* TLS_PKCS11_H */
