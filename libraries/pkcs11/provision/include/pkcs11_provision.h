/* Alder PKCS#11 provisioning: puts a device's key, certificate and root CA into a PKCS#11 token, or makes the key
 * inside the token and writes a CSR for it. It must never keep, return or log a private key's bytes once they are in
 * the token: every buffer that held them is wiped before the call returns.
 *
 * It talks to the token only through a CK_FUNCTION_LIST, so the same code runs against Alder's module in an RTOS
 * image, against libalder_pkcs11.so on a host, or against any other Cryptoki 2.40 module. C99; no OS calls, no stdio.
 * Memory: mbedTLS's allocator (mbedtls_calloc) while parsing and signing, as mbedTLS itself needs; an RSA import
 * also takes 2 KB from it for the key's parts. Stack: about 1.2 KB at most in this library's and pkcs11_pk.c's frames
 * (Cortex-M3, -Os), plus mbedTLS's own and the module's. Size: about 5.2 KB of code on Cortex-M3 at -Os.
 * Not thread-safe per context: one task uses a context at a time (PKCS#11's rule for a session). */
#ifndef PKCS11_PROVISION_H
#define PKCS11_PROVISION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkcs11.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a provisioning call found. Success is 0; every other value is an error, and the call changed nothing in the
 * token unless its own description says otherwise. */
typedef enum {
    PKCS11_PROVISION_OK = 0,
    /* A NULL pointer, a zero length, an empty label, a context that is not open, or PEM text whose terminating NUL
     * is not counted in the length (mbedTLS's rule for PEM: the length includes the NUL). */
    PKCS11_PROVISION_BAD_ARGUMENT,
    /* The bytes are neither PEM nor DER that parses as what was asked for (a private key, an X.509 certificate):
     * damaged base64, a truncated DER, a certificate given as a key. */
    PKCS11_PROVISION_BAD_ENCODING,
    /* The private key is encrypted (a password-protected PEM or PKCS#8). Decrypt it first, in a safe place. */
    PKCS11_PROVISION_KEY_ENCRYPTED,
    /* The key parses but is neither EC P-256 nor RSA-2048 (P-384, RSA-4096, Ed25519...): the module signs with those
     * two only. */
    PKCS11_PROVISION_UNSUPPORTED_KEY,
    /* The PEM holds more than one certificate. A label holds one: store the device's own certificate alone. */
    PKCS11_PROVISION_SEVERAL_CERTIFICATES,
    /* The certificate's public key is not the public half of the key it was checked against. */
    PKCS11_PROVISION_KEY_MISMATCH,
    /* No object of the needed class under the label (the private key, its public half, or a certificate). */
    PKCS11_PROVISION_NOT_FOUND,
    /* The CSR subject is empty or not an mbedTLS subject string ("CN=thing-1,O=Acme": known short names,
     * comma-separated, each with '='). */
    PKCS11_PROVISION_BAD_SUBJECT,
    /* The CSR does not fit the caller's buffer (2048 bytes always do for a P-256 key). */
    PKCS11_PROVISION_BUFFER_TOO_SMALL,
    /* No slot with a token present. */
    PKCS11_PROVISION_NO_TOKEN,
    /* C_Login refused the PIN (CKR_PIN_INCORRECT or CKR_PIN_LEN_RANGE). */
    PKCS11_PROVISION_PIN_INCORRECT,
    /* The token refused to sign the CSR (C_SignInit or C_Sign failed: the key may not sign, or the session is no
     * longer logged in). */
    PKCS11_PROVISION_SIGN_FAILED,
    /* Another C_* call failed; its CK_RV is in the context's last_rv. Examples: CKR_DEVICE_MEMORY (the store is
     * full), CKR_ATTRIBUTE_VALUE_INVALID (the module refused the object, or a label of another class exists),
     * CKR_USER_NOT_LOGGED_IN. When it fails while storing a key's separate public half, the private key is already
     * stored: repeat the import. */
    PKCS11_PROVISION_TOKEN_ERROR,
    /* mbedTLS failed on valid input (out of memory, most likely); its code is in the context's last_mbedtls_error. */
    PKCS11_PROVISION_CRYPTO_ERROR,
} pkcs11_provision_status_t;

/* The enum's name ("PKCS11_PROVISION_KEY_MISMATCH"), or "PKCS11_PROVISION_(unknown)". Never NULL. */
const char *pkcs11_provision_status_name(pkcs11_provision_status_t status);

/* One line in plain words ("the certificate is not for this key"), for error messages. Never NULL. */
const char *pkcs11_provision_status_text(pkcs11_provision_status_t status);

/*
 * A session on a token, and the labels the calls use. Fill it with pkcs11_provision_open or _attach; the caller owns
 * it. Labels are NUL-terminated strings the caller keeps alive while the context is used.
 */
typedef struct {
    CK_FUNCTION_LIST_PTR functions;
    CK_SESSION_HANDLE session;
    /* The private key's label. Default PKCS11_LABEL_DEVICE_PRIVATE_KEY. */
    const char *key_label;
    /* A separate public key object beside the private key, under this label. Default
     * PKCS11_LABEL_DEVICE_PUBLIC_KEY. NULL, or the same text as key_label: no separate object (Alder's module shows
     * a private key's public half under the private key's own label anyway). */
    const char *public_key_label;
    /* The CK_RV behind the last PKCS11_PROVISION_TOKEN_ERROR or _PIN_INCORRECT, else CKR_OK. A TOKEN_ERROR while
     * reading a stored public key leaves it CKR_OK, with MBEDTLS_ERR_PK_FILE_IO_ERROR in last_mbedtls_error. */
    CK_RV last_rv;
    /* The mbedTLS code behind the last failure that came from mbedTLS, else 0. */
    int last_mbedtls_error;
    /* What close must undo: set by open only. */
    bool initialized_here;
    bool session_opened_here;
    bool logged_in_here;
} pkcs11_provision_t;

/*
 * C_Initialize (with CKF_OS_LOCKING_OK; an already initialized module is fine), a read/write session on the first
 * slot with a token, and C_Login as the user with `pin` (a NUL-terminated string; a login that another part of
 * the application made already is fine). Sets the default labels. On failure nothing stays open.
 * In an image where other tasks use the module, initialize it before: then close leaves it initialized.
 */
pkcs11_provision_status_t pkcs11_provision_open(pkcs11_provision_t *provision, CK_FUNCTION_LIST_PTR functions,
                                                const char *pin);

/* Uses the caller's read/write, logged-in session; close will leave it alone. Sets the default labels. */
pkcs11_provision_status_t pkcs11_provision_attach(pkcs11_provision_t *provision, CK_FUNCTION_LIST_PTR functions,
                                                  CK_SESSION_HANDLE session);

/* Undoes what open did, in reverse: logout (if open logged in), close the session, C_Finalize (if open initialized
 * the module). After attach it only forgets the session. Safe to call twice. */
void pkcs11_provision_close(pkcs11_provision_t *provision);

/*
 * Stores a private key, EC P-256 or RSA-2048, given as PEM (PKCS#8, SEC1 or PKCS#1; length includes the NUL) or
 * DER, under key_label (replacing the key there), and its public half under public_key_label when that is separate.
 * The token keeps it sensitive, private and not extractable. Every copy of the key's parts this call made is wiped;
 * `key` itself is the caller's to wipe.
 */
pkcs11_provision_status_t pkcs11_provision_import_key(pkcs11_provision_t *provision, const uint8_t *key, size_t length);

/*
 * Stores an X.509 certificate given as PEM (one certificate; length includes the NUL) or DER under `label` (NULL:
 * PKCS11_LABEL_DEVICE_CERTIFICATE; PKCS11_LABEL_ROOT_CERTIFICATE for the root CA), replacing the one there. It does
 * not check the certificate against the key: see pkcs11_provision_check_certificate.
 */
pkcs11_provision_status_t pkcs11_provision_import_certificate(pkcs11_provision_t *provision, const uint8_t *certificate,
                                                              size_t length, const char *label);

/*
 * Parses a private key as import_key does and stores nothing: OK, or the status import_key would give for it.
 * On OK, *kind (when not NULL) is "EC P-256" or "RSA-2048" (static text). Every copy of the key it made is wiped.
 */
pkcs11_provision_status_t pkcs11_provision_inspect_key(const uint8_t *key, size_t length, const char **kind);

/*
 * Parses a certificate as import_certificate does and stores nothing: OK, or the status import_certificate would
 * give for it. On OK, `subject` (when subject_size > 0) holds its subject as text ("CN=thing-1, O=Acme"), cut to fit.
 */
pkcs11_provision_status_t pkcs11_provision_inspect_certificate(const uint8_t *certificate, size_t length, char *subject,
                                                               size_t subject_size);

/*
 * Checks, before anything is stored, that a certificate (PEM or DER) is for a private key (PEM or DER): the same
 * public key. Needs no token. Returns OK, KEY_MISMATCH, or the parsing statuses of the two import functions.
 */
pkcs11_provision_status_t pkcs11_provision_match(const uint8_t *key, size_t key_length, const uint8_t *certificate,
                                                 size_t certificate_length);

/*
 * Checks that a certificate (PEM or DER) is for the key stored under key_label: its public key equals the stored
 * key's public half (the public key object under key_label, else under public_key_label). Changes nothing.
 * Returns OK, KEY_MISMATCH, NOT_FOUND (no private key, or no public half), the certificate parsing statuses,
 * TOKEN_ERROR or UNSUPPORTED_KEY (a stored public key pkcs11_pk_load_public cannot read).
 */
pkcs11_provision_status_t pkcs11_provision_check_certificate(pkcs11_provision_t *provision, const uint8_t *certificate,
                                                             size_t length);

/* The same check for the certificate stored under `label` (NULL: PKCS11_LABEL_DEVICE_CERTIFICATE): run it after
 * an import to prove what the token now holds. */
pkcs11_provision_status_t pkcs11_provision_check_stored(pkcs11_provision_t *provision, const char *label);

/*
 * Generates an EC P-256 key pair inside the token (C_GenerateKeyPair): the private key under key_label, the public
 * key under public_key_label when that is separate. Both replace what was there; a certificate stored for the old
 * key no longer matches (check_stored says so) until the new one is imported.
 */
pkcs11_provision_status_t pkcs11_provision_generate_key(pkcs11_provision_t *provision);

/*
 * Writes a PEM certificate signing request for the key under key_label into `out` (`size` bytes): the subject from
 * `subject` ("CN=thing-1,O=Acme", mbedTLS's subject syntax), the key's public half, signed with SHA-256 by the
 * token (C_Sign). On success out holds NUL-terminated PEM and *length its length without the NUL.
 */
pkcs11_provision_status_t pkcs11_provision_write_csr(pkcs11_provision_t *provision, const char *subject, char *out,
                                                     size_t size, size_t *length);

/* Checks a CSR subject string without a token: OK, or BAD_SUBJECT (also for NULL or empty), as write_csr would
 * answer. Run it before generate_key, so that a typo does not cost the device its key. */
pkcs11_provision_status_t pkcs11_provision_check_subject(const char *subject);

/* What list reports about one object: never a value. */
typedef struct {
    char label[129]; /* NUL-terminated; empty when the label is longer (label_too_long) */
    bool label_too_long;
    CK_OBJECT_CLASS object_class; /* CKO_CERTIFICATE, CKO_PUBLIC_KEY, CKO_PRIVATE_KEY, ... */
    CK_ULONG type;                /* CKA_KEY_TYPE of a key, CKA_CERTIFICATE_TYPE of a certificate, else
                                     CK_UNAVAILABLE_INFORMATION */
} pkcs11_provision_object_t;

typedef void (*pkcs11_provision_visit_t)(void *user, const pkcs11_provision_object_t *object);

/* Calls `visit` once for each object the session can see (private objects too, when logged in), in the token's
 * order. Returns OK or TOKEN_ERROR. */
pkcs11_provision_status_t pkcs11_provision_list(pkcs11_provision_t *provision, pkcs11_provision_visit_t visit,
                                                void *user);

#ifdef __cplusplus
}
#endif

#endif /* PKCS11_PROVISION_H */
