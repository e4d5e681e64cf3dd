/* Alder PKCS#11 host tests: the CHECK macros' reports, the case runner with a fresh store per case, and helpers.
 * It must never leave a store directory behind after a case, nor hide a failure from the exit status. */
#define _GNU_SOURCE
#include "pkcs11_test_util.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkcs11_host_log.h"
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

static CK_OBJECT_CLASS class_private = CKO_PRIVATE_KEY, class_public = CKO_PUBLIC_KEY,
                       class_certificate = CKO_CERTIFICATE;
static CK_KEY_TYPE key_ec = CKK_EC, key_rsa = CKK_RSA;
static CK_BBOOL yes = CK_TRUE;
static CK_BYTE id_one[] = {0x01};
static CK_BYTE p256_params[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};

#define ATTRIBUTE(type, value)                                                                                         \
    {                                                                                                                  \
        type, (CK_VOID_PTR)(value), sizeof(value)                                                                      \
    }
#define LABEL(text)                                                                                                    \
    {                                                                                                                  \
        CKA_LABEL, (CK_VOID_PTR)(text), strlen(text)                                                                   \
    }
#define COUNT(array) (sizeof(array) / sizeof(array[0]))

static CK_OBJECT_HANDLE create(CK_SESSION_HANDLE session, CK_ATTRIBUTE *attributes, CK_ULONG count)
{
    CK_OBJECT_HANDLE object = CK_INVALID_HANDLE;
    CHECK_RV(C_CreateObject(session, attributes, count, &object), CKR_OK);
    return object;
}

CK_OBJECT_HANDLE test_create_ec_private(CK_SESSION_HANDLE session, const char *label)
{
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &class_private, sizeof(class_private)},
        {CKA_KEY_TYPE, &key_ec, sizeof(key_ec)},
        {CKA_TOKEN, &yes, sizeof(yes)},
        LABEL(label),
        ATTRIBUTE(CKA_ID, id_one),
        ATTRIBUTE(CKA_EC_PARAMS, p256_params),
        {CKA_VALUE, (CK_VOID_PTR)kat_ec_private, sizeof(kat_ec_private)},
    };
    return create(session, t, COUNT(t));
}

CK_OBJECT_HANDLE test_create_ec_public(CK_SESSION_HANDLE session, const char *label)
{
    CK_BYTE point[67] = {0x04, 0x41};
    memcpy(point + 2, kat_ec_point, sizeof(kat_ec_point));
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &class_public, sizeof(class_public)},
        {CKA_KEY_TYPE, &key_ec, sizeof(key_ec)},
        LABEL(label),
        ATTRIBUTE(CKA_ID, id_one),
        ATTRIBUTE(CKA_EC_PARAMS, p256_params),
        ATTRIBUTE(CKA_EC_POINT, point),
    };
    return create(session, t, COUNT(t));
}

CK_OBJECT_HANDLE test_create_rsa_private(CK_SESSION_HANDLE session, const char *label)
{
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &class_private, sizeof(class_private)},
        {CKA_KEY_TYPE, &key_rsa, sizeof(key_rsa)},
        LABEL(label),
        ATTRIBUTE(CKA_ID, id_one),
        {CKA_MODULUS, (CK_VOID_PTR)kat_rsa_modulus, sizeof(kat_rsa_modulus)},
        {CKA_PUBLIC_EXPONENT, (CK_VOID_PTR)kat_rsa_public_exponent, sizeof(kat_rsa_public_exponent)},
        {CKA_PRIVATE_EXPONENT, (CK_VOID_PTR)kat_rsa_private_exponent, sizeof(kat_rsa_private_exponent)},
        {CKA_PRIME_1, (CK_VOID_PTR)kat_rsa_prime_1, sizeof(kat_rsa_prime_1)},
        {CKA_PRIME_2, (CK_VOID_PTR)kat_rsa_prime_2, sizeof(kat_rsa_prime_2)},
    };
    return create(session, t, COUNT(t));
}

CK_OBJECT_HANDLE test_create_rsa_public(CK_SESSION_HANDLE session, const char *label)
{
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &class_public, sizeof(class_public)},
        {CKA_KEY_TYPE, &key_rsa, sizeof(key_rsa)},
        LABEL(label),
        ATTRIBUTE(CKA_ID, id_one),
        {CKA_MODULUS, (CK_VOID_PTR)kat_rsa_modulus, sizeof(kat_rsa_modulus)},
        {CKA_PUBLIC_EXPONENT, (CK_VOID_PTR)kat_rsa_public_exponent, sizeof(kat_rsa_public_exponent)},
    };
    return create(session, t, COUNT(t));
}

CK_OBJECT_HANDLE test_create_certificate(CK_SESSION_HANDLE session, const char *label)
{
    CK_CERTIFICATE_TYPE x509 = CKC_X_509;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &class_certificate, sizeof(class_certificate)},
        {CKA_CERTIFICATE_TYPE, &x509, sizeof(x509)},
        LABEL(label),
        ATTRIBUTE(CKA_ID, id_one),
        {CKA_VALUE, (CK_VOID_PTR)kat_certificate, sizeof(kat_certificate)},
    };
    return create(session, t, COUNT(t));
}

CK_RV test_generate_ec(CK_SESSION_HANDLE session, const char *private_label, const char *public_label,
                       CK_OBJECT_HANDLE *public_key, CK_OBJECT_HANDLE *private_key)
{
    CK_MECHANISM mechanism = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_ATTRIBUTE pub[] = {
        ATTRIBUTE(CKA_EC_PARAMS, p256_params),
        {CKA_VERIFY, &yes, sizeof(yes)},
        {CKA_LABEL, (CK_VOID_PTR)public_label, public_label != NULL ? strlen(public_label) : 0},
    };
    CK_ATTRIBUTE priv[] = {
        {CKA_SIGN, &yes, sizeof(yes)},
        LABEL(private_label),
        ATTRIBUTE(CKA_ID, id_one),
    };
    return C_GenerateKeyPair(session, &mechanism, pub, public_label != NULL ? 3 : 2, priv, COUNT(priv), public_key,
                             private_key);
}

CK_ULONG test_find(CK_SESSION_HANDLE session, CK_OBJECT_CLASS object_class, const char *label, CK_OBJECT_HANDLE *found,
                   CK_ULONG max)
{
    CK_ATTRIBUTE t[2];
    CK_ULONG count = 0;
    if (object_class != CK_UNAVAILABLE_INFORMATION) {
        t[count++] = (CK_ATTRIBUTE){CKA_CLASS, &object_class, sizeof(object_class)};
    }
    if (label != NULL) {
        t[count++] = (CK_ATTRIBUTE){CKA_LABEL, (CK_VOID_PTR)label, strlen(label)};
    }
    CK_ULONG n = 0;
    CHECK_RV(C_FindObjectsInit(session, t, count), CKR_OK);
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
