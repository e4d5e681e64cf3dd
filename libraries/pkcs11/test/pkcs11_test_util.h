/* Alder PKCS#11 host tests: the CHECK macros, a case runner that gives each case a fresh store, and helpers.
 * It must never share a store between cases: each case runs in its own new temporary directory. */
#ifndef PKCS11_TEST_UTIL_H
#define PKCS11_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pkcs11.h"

extern int test_failures;

/* A failed check reports and lets the case go on, so one run shows every broken expectation. */
#define CHECK(condition)                                                                                               \
    do {                                                                                                               \
        if (!(condition)) {                                                                                            \
            test_fail(__FILE__, __LINE__, #condition);                                                                 \
        }                                                                                                              \
    } while (0)

#define CHECK_RV(expression, expected)                                                                                 \
    do {                                                                                                               \
        CK_RV check_rv_ = (expression);                                                                                \
        if (check_rv_ != (CK_RV)(expected)) {                                                                          \
            test_fail_rv(__FILE__, __LINE__, #expression, check_rv_, #expected, (CK_RV)(expected));                    \
        }                                                                                                              \
    } while (0)

void test_fail(const char *file, int line, const char *what);
void test_fail_rv(const char *file, int line, const char *expression, CK_RV got, const char *expected_text,
                  CK_RV expected);

/* Run one case: a new store directory in $ALDER_PKCS11_DIR, the case, then C_Finalize (if the case left
 * the module initialized) and the directory removed. Prints "TEST(group, name) PASS|FAIL". */
typedef void (*test_case_t)(void);
void test_run(const char *group, const char *name, test_case_t test);
#define RUN(group, name) test_run(#group, #name, name)

/* "N Tests M Failures 0 Ignored", then OK or FAIL; returns the process exit status. */
int test_summary(void);

/* The current case's store directory. */
const char *test_store_directory(void);

/* The file the posix PAL keeps a label's object in. */
void test_store_file(const char *label, char *path, size_t size);

/* Log lines the module and the PAL reported since the case began (the host log sink). */
bool test_log_contains(const char *text);
int test_log_count(void);
/* Every reported line, concatenated, for checks that something never appears in them. */
const char *test_log_text(void);

/* The module up, a read-write session, logged in with the default PIN. */
CK_SESSION_HANDLE test_open_user_session(void);

/* Objects from the known-answer vectors (pkcs11_test_vectors.h), under the given label and CKA_ID 0x01. */
CK_OBJECT_HANDLE test_create_ec_private(CK_SESSION_HANDLE session, const char *label);
CK_OBJECT_HANDLE test_create_ec_public(CK_SESSION_HANDLE session, const char *label);
CK_OBJECT_HANDLE test_create_rsa_private(CK_SESSION_HANDLE session, const char *label);
CK_OBJECT_HANDLE test_create_rsa_public(CK_SESSION_HANDLE session, const char *label);
CK_OBJECT_HANDLE test_create_certificate(CK_SESSION_HANDLE session, const char *label);

/* A new P-256 pair; the public template gets public_label unless it is NULL. */
CK_RV test_generate_ec(CK_SESSION_HANDLE session, const char *private_label, const char *public_label,
                       CK_OBJECT_HANDLE *public_key, CK_OBJECT_HANDLE *private_key);

/* Objects of a class (or any class when object_class is CK_UNAVAILABLE_INFORMATION) with a label (or any
 * label when NULL); at most max handles into found; returns how many. */
CK_ULONG test_find(CK_SESSION_HANDLE session, CK_OBJECT_CLASS object_class, const char *label, CK_OBJECT_HANDLE *found,
                   CK_ULONG max);

/* Sign 32 bytes with CKM_ECDSA and verify with the public key; true if both worked. */
bool test_ecdsa_round_trip(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE private_key, CK_OBJECT_HANDLE public_key);

#endif /* PKCS11_TEST_UTIL_H */
