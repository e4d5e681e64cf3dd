/* Alder qualification groups PKCS11 and CRYPTO: what their cases share: the module brought up on an emptied store,
 * objects made from the known-answer vectors, searches, and return-code checks that name the codes.
 * It must never touch the store except through the C_* functions: the same helpers run on every board's PAL. */
#ifndef PKCS11_GROUP_UTIL_H
#define PKCS11_GROUP_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "pkcs11.h"
#include "pkcs11_pal.h" /* the standard labels, and the configuration (PIN, limits) the module was built with */

/* Stack of each task a case creates: mbedTLS's ECDSA and RSA need a few KB below the module. */
#ifndef TEST_PKCS11_TASK_STACK_WORDS
#define TEST_PKCS11_TASK_STACK_WORDS (configMINIMAL_STACK_SIZE * 4)
#endif

#define PKCS11_GROUP_COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* The user PIN the module was built with, and its length (a PIN is bytes, not a C string). */
#define PKCS11_GROUP_PIN ((CK_UTF8CHAR_PTR)PKCS11_CONFIG_USER_PIN)
#define PKCS11_GROUP_PIN_LENGTH ((CK_ULONG)(sizeof(PKCS11_CONFIG_USER_PIN) - 1u))

/* The name of a return code ("CKR_OK"), or NULL for one this table does not know. */
const char *pkcs11_group_rv_name(CK_RV rv);

/* Ends the case with both codes named when actual is not expected. */
void pkcs11_group_check_rv(const char *file, int line, const char *call, CK_RV expected, CK_RV actual);
#define TEST_ASSERT_RV(expected, call) pkcs11_group_check_rv(__FILE__, __LINE__, #call, (expected), (call))

/*
 * Every case starts with pkcs11_group_begin() and ends with pkcs11_group_end(). Begin finalizes whatever a failed
 * case left initialized, initializes the module, destroys every object a logged-in search finds (a device's store
 * holds leftovers) and checks that nothing is left; it returns a read/write session, logged in. End empties the
 * store the same way and finalizes the module, so the group leaves the store empty and the heap as it found it.
 */
CK_SESSION_HANDLE pkcs11_group_begin(void);
/* Finalizes the module if a case that failed part-way left it initialized (begin does it first). */
void pkcs11_group_finalize_leftover(void);
void pkcs11_group_end(void);

/* For a group's last case: every case before it emptied the store at its end. This checks that a logged-in
 * (read-only) session finds no object, destroying nothing first, so a case that left one behind fails here. */
void pkcs11_group_check_store_left_empty(void);

/* Destroys every object a search finds (session: read/write, logged in) and checks that none is left. */
void pkcs11_group_empty_store(CK_SESSION_HANDLE session);

/* Logs the session's application in with the module's PIN (already logged in is fine). */
void pkcs11_group_login(CK_SESSION_HANDLE session);

/* Objects of the known-answer vectors (pkcs11_test_vectors.h) under a label, CKA_ID 0x01; each must succeed. */
CK_OBJECT_HANDLE pkcs11_group_create_certificate(CK_SESSION_HANDLE session, const char *label);
CK_OBJECT_HANDLE pkcs11_group_create_ec_private(CK_SESSION_HANDLE session, const char *label);
CK_OBJECT_HANDLE pkcs11_group_create_ec_public(CK_SESSION_HANDLE session, const char *label);
CK_OBJECT_HANDLE pkcs11_group_create_rsa_private(CK_SESSION_HANDLE session, const char *label);
CK_OBJECT_HANDLE pkcs11_group_create_rsa_public(CK_SESSION_HANDLE session, const char *label);

/* An EC P-256 private key with the given 32-byte scalar (for vectors other than the group's own). */
CK_OBJECT_HANDLE pkcs11_group_create_ec_private_value(CK_SESSION_HANDLE session, const char *label,
                                                      const CK_BYTE scalar[32]);

/* C_GenerateKeyPair (CKM_EC_KEY_PAIR_GEN, P-256): the private key under private_label, the public key under
 * public_label, or, when it is NULL, as the private key's public view. Returns what C_GenerateKeyPair said. */
CK_RV pkcs11_group_generate_ec(CK_SESSION_HANDLE session, const char *private_label, const char *public_label,
                               CK_OBJECT_HANDLE *public_key, CK_OBJECT_HANDLE *private_key);

/* Objects of a class (CK_UNAVAILABLE_INFORMATION: any) and label (NULL: any): at most max handles into found;
 * returns how many. Each step of the search must return CKR_OK. */
CK_ULONG pkcs11_group_find(CK_SESSION_HANDLE session, CK_OBJECT_CLASS object_class, const char *label,
                           CK_OBJECT_HANDLE *found, CK_ULONG max);

/* The one object of a class under a label; the case fails unless there is exactly one. */
CK_OBJECT_HANDLE pkcs11_group_find_one(CK_SESSION_HANDLE session, CK_OBJECT_CLASS object_class, const char *label);

/* An attribute of CK_ULONG or CK_BBOOL type; the call must return CKR_OK with the value's exact size. */
CK_ULONG pkcs11_group_attribute_ulong(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type);
CK_BBOOL pkcs11_group_attribute_bool(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type);

/* Signs hash (32 bytes) with CKM_ECDSA into signature (64 bytes); the case fails unless both calls succeed. */
void pkcs11_group_ecdsa_sign(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE private_key, const CK_BYTE hash[32],
                             CK_BYTE signature[64]);

/* What C_VerifyInit and C_Verify with CKM_ECDSA say about a signature: the first code that is not CKR_OK. */
CK_RV pkcs11_group_ecdsa_verify(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE public_key, const CK_BYTE hash[32],
                                const CK_BYTE signature[64]);

/* The DER DigestInfo of SHA-256("abc") that CKM_RSA_PKCS signs (51 bytes). */
#define PKCS11_GROUP_DIGEST_INFO_LENGTH 51u
void pkcs11_group_digest_info_abc(CK_BYTE out[PKCS11_GROUP_DIGEST_INFO_LENGTH]);

#endif /* PKCS11_GROUP_UTIL_H */
