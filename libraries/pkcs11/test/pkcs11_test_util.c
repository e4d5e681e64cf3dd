/* Alder PKCS#11 host tests: the CHECK macros' reports, the case runner with a fresh store per case, and helpers.
 * It must never leave a store directory behind after a case, nor hide a failure from the exit status. */
#define _GNU_SOURCE
#include "pkcs11_test_util.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkcs11_host_log.h"
#include "pkcs11_test_templates.h"
#include "pkcs11_test_vectors.h"

/* The posix PAL's fault injection (built into alder_pkcs11_host). */
void pkcs11_posix_pal_test_crash_at(int step);

int test_failures;
static int cases, failed_cases;
static char store[256];
static char log_text[16384];
static size_t log_used;
static int log_lines;

void test_fail(const char *file, int line, const char *what)
{
    test_failures++;
    printf("    %s:%d: check failed: %s\n", file, line, what);
}

void test_fail_rv(const char *file, int line, const char *expression, CK_RV got, const char *expected_text,
                  CK_RV expected)
{
    test_failures++;
    printf("    %s:%d: %s returned 0x%lx, expected %s (0x%lx)\n", file, line, expression, got, expected_text, expected);
}

static void log_sink(const char *message)
{
    size_t length = strlen(message);
    if (log_used + length + 2 < sizeof(log_text)) {
        memcpy(log_text + log_used, message, length);
        log_used += length;
        log_text[log_used++] = '\n';
        log_text[log_used] = '\0';
    }
    log_lines++;
}

bool test_log_contains(const char *text)
{
    return strstr(log_text, text) != NULL;
}

int test_log_count(void)
{
    return log_lines;
}

const char *test_log_text(void)
{
    return log_text;
}

const char *test_store_directory(void)
{
    return store;
}

void test_store_file(const char *label, char *path, size_t size)
{
    static const char digits[] = "0123456789abcdef";
    int at = snprintf(path, size, "%s/", store);
    for (const char *c = label; *c != '\0' && (size_t)at + 3 < size; c++) {
        path[at++] = digits[(uint8_t)*c >> 4];
        path[at++] = digits[(uint8_t)*c & 0x0F];
    }
    snprintf(path + at, size - (size_t)at, ".obj");
}

static void remove_store(void)
{
    DIR *dir = opendir(store);
    if (dir != NULL) {
        for (struct dirent *entry = readdir(dir); entry != NULL; entry = readdir(dir)) {
            char path[600];
            if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) {
                snprintf(path, sizeof(path), "%s/%s", store, entry->d_name);
                unlink(path);
            }
        }
        closedir(dir);
    }
    rmdir(store);
}

void test_run(const char *group, const char *name, test_case_t test)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(store, sizeof(store), "%s/alder-pkcs11-test-XXXXXX", (tmp != NULL && tmp[0] != '\0') ? tmp : "/tmp");
    if (mkdtemp(store) == NULL) {
        printf("TEST(%s, %s) FAIL %s:%d: cannot make a store directory\n", group, name, __FILE__, __LINE__);
        cases++;
        failed_cases++;
        return;
    }
    setenv("ALDER_PKCS11_DIR", store, 1);
    log_used = 0;
    log_text[0] = '\0';
    log_lines = 0;
    pkcs11_host_log_set_sink(log_sink);
    int before = test_failures;
    test();
    (void)C_Finalize(NULL);
    pkcs11_posix_pal_test_crash_at(0);
    pkcs11_host_log_set_sink(NULL);
    remove_store();
    cases++;
    if (test_failures != before) {
        failed_cases++;
        printf("TEST(%s, %s) FAIL (%d checks failed, above)\n", group, name, test_failures - before);
    } else {
        printf("TEST(%s, %s) PASS\n", group, name);
    }
    fflush(stdout);
}

int test_summary(void)
{
    printf("%d Tests %d Failures 0 Ignored\n%s\n", cases, failed_cases, failed_cases == 0 ? "OK" : "FAIL");
    return failed_cases == 0 ? 0 : 1;
}

CK_SESSION_HANDLE test_open_user_session(void)
{
    CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
    CK_RV rv = C_Initialize(NULL);
    CHECK(rv == CKR_OK || rv == CKR_CRYPTOKI_ALREADY_INITIALIZED);
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &session), CKR_OK);
    rv = C_Login(session, CKU_USER, (CK_UTF8CHAR_PTR) "0000", 4);
    CHECK(rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN);
    return session;
}

static CK_OBJECT_HANDLE create(CK_SESSION_HANDLE session, pkcs11_test_template_t *t)
{
    CK_OBJECT_HANDLE object = CK_INVALID_HANDLE;
    CHECK_RV(C_CreateObject(session, t->attributes, t->count, &object), CKR_OK);
    return object;
}

CK_OBJECT_HANDLE test_create_ec_private(CK_SESSION_HANDLE session, const char *label)
{
    static const CK_BBOOL yes = CK_TRUE;
    pkcs11_test_template_t t;
    pkcs11_test_template_ec_private(&t, label, kat_ec_private);
    /* CKA_TOKEN true as well: every object is a token object, and the host tests' EC key shows it is accepted. */
    pkcs11_test_template_add(&t, CKA_TOKEN, &yes, sizeof(yes));
    return create(session, &t);
}

CK_OBJECT_HANDLE test_create_ec_public(CK_SESSION_HANDLE session, const char *label)
{
    pkcs11_test_template_t t;
    pkcs11_test_template_ec_public(&t, label);
    return create(session, &t);
}

CK_OBJECT_HANDLE test_create_rsa_private(CK_SESSION_HANDLE session, const char *label)
{
    pkcs11_test_template_t t;
    pkcs11_test_template_rsa_private(&t, label);
    return create(session, &t);
}

CK_OBJECT_HANDLE test_create_rsa_public(CK_SESSION_HANDLE session, const char *label)
{
    pkcs11_test_template_t t;
    pkcs11_test_template_rsa_public(&t, label);
    return create(session, &t);
}

CK_OBJECT_HANDLE test_create_certificate(CK_SESSION_HANDLE session, const char *label)
{
    pkcs11_test_template_t t;
    pkcs11_test_template_certificate(&t, label);
    return create(session, &t);
}

CK_RV test_generate_ec(CK_SESSION_HANDLE session, const char *private_label, const char *public_label,
                       CK_OBJECT_HANDLE *public_key, CK_OBJECT_HANDLE *private_key)
{
    CK_MECHANISM mechanism = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    pkcs11_test_template_t pub, priv;
    pkcs11_test_template_ec_generate(&pub, &priv, private_label, public_label);
    return C_GenerateKeyPair(session, &mechanism, pub.attributes, pub.count, priv.attributes, priv.count, public_key,
                             private_key);
}

CK_ULONG test_find(CK_SESSION_HANDLE session, CK_OBJECT_CLASS object_class, const char *label, CK_OBJECT_HANDLE *found,
                   CK_ULONG max)
{
    pkcs11_test_template_t t;
    pkcs11_test_template_search(&t, object_class, label);
    CK_ULONG n = 0;
    CHECK_RV(C_FindObjectsInit(session, t.attributes, t.count), CKR_OK);
    CHECK_RV(C_FindObjects(session, found, max, &n), CKR_OK);
    CHECK_RV(C_FindObjectsFinal(session), CKR_OK);
    return n;
}

bool test_ecdsa_round_trip(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE private_key, CK_OBJECT_HANDLE public_key)
{
    CK_MECHANISM ecdsa = {CKM_ECDSA, NULL, 0};
    CK_BYTE hash[32], signature[64];
    CK_ULONG length = sizeof(signature);
    memset(hash, 0x5A, sizeof(hash));
    bool ok = C_SignInit(session, &ecdsa, private_key) == CKR_OK &&
              C_Sign(session, hash, sizeof(hash), signature, &length) == CKR_OK && length == 64 &&
              C_VerifyInit(session, &ecdsa, public_key) == CKR_OK &&
              C_Verify(session, hash, sizeof(hash), signature, length) == CKR_OK;
    return ok;
}
