/* Alder TLS group: the PKCS#11 token as the cases see it (the module inside the image): ready, opened, emptied.
 * It must never leave objects behind for the next case: a case that stores credentials clears them again. */
#ifndef TLS_TEST_TOKEN_H
#define TLS_TEST_TOKEN_H

#include "pkcs11.h"

/* The module initialised (with the OS's locks). It stays so for good once TLS has used it (tls.h), so the case
 * that first initialises it is let off the heap check for that one-time mutex. Call before any connect. */
void tls_test_token_ready(void);

/* tls_test_token_ready, then a logged-in read/write session; returns the function list, *session the session. */
CK_FUNCTION_LIST_PTR tls_test_token_open(CK_SESSION_HANDLE *session);

/* Destroys every object in the store (a private key's public view goes with its key). */
void tls_test_token_clear(CK_FUNCTION_LIST_PTR token, CK_SESSION_HANDLE session);

#endif /* TLS_TEST_TOKEN_H */
